package io.judo.engine.output;

import io.judo.applayer.AppProto;
import io.judo.engine.Partition;
import io.judo.engine.detect.AppLayer;
import io.judo.engine.detect.Detector;
import io.judo.engine.detect.FlowPath;
import io.judo.reassembly.Flow;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * EVE {@code flow} records: one per flow when it ends (timed out, evicted, or still tracked at the end of the input),
 * as Suricata's eve-log {@code flow} type writes them ({@link EveWriter#flowLine}); on the partition's thread. It
 * listens after the rule stages and the application layer, so the alerts a flow's end raises are counted in it.
 */
public final class FlowLog implements FlowPath.StreamListener {
    private final Consumer<String> out;
    private final Partition partition;

    /**
     * @param out       receives each EVE line (without a line end)
     * @param partition whose application layer names the protocol and whose Suricata stage says if the flow alerted
     */
    public FlowLog(Consumer<String> out, Partition partition) {
        this.out = out;
        this.partition = partition;
    }

    @Override
    public void data(Flow f, int dir, long offset, byte[] bytes, int from, int length) {
    }

    @Override
    public void ended(Flow f, int dir) {
    }

    @Override
    public void closed(Flow f) {
        Detector d = partition.suricata();
        out.accept(EveWriter.flowLine(f, appProto(partition.appLayer(), f), d != null && d.alerted(f),
                d != null && d.dropped(f)));
    }

    /** The protocol's EVE name ({@code http}, {@code ftp-data}, {@code failed}), or null while undecided. */
    static String appProto(AppLayer layer, Flow f) {
        AppProto p = layer == null ? AppProto.UNKNOWN : layer.protocol(f);
        return p == AppProto.UNKNOWN ? null : p.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
