package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class DemoCaptureTest {
    /**
     * The bundled demo is exactly what the generator makes, so it can never drift from the project's own code.
     * After changing the generator: ./judo generate --demo --out cli/src/main/resources/io/judo/cli/demo.pcap
     */
    @Test
    void bundledDemoIsTheGeneratorsOutput() {
        assertArrayEquals(DemoCapture.generate(), DemoCapture.bundled());
    }
}
