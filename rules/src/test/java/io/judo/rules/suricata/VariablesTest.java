package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Variables checked once with a caret, and the vars: section of a YAML file read strictly. */
class VariablesTest {
    @Test
    void theDefaultsAreValid() {
        assertEquals(List.of(), Variables.defaults().check());
    }

    @Test
    void aBadValueIsOneErrorAtTheBadPartAndVariablesUsingItAreNotRepeated() {
        Variables v = Variables.defaults().set("HOME_NET", "[10.0.0.0/8, bogus]", null,
                new Variables.Origin("--set", 0, "HOME_NET=[10.0.0.0/8, bogus]", 10));
        List<RuleError> errors = v.check();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("--set: $HOME_NET: bad address 'bogus'\n    HOME_NET=[10.0.0.0/8, bogus]\n"
                + "                          ^", errors.get(0).display());
    }

    @Test
    void portsAreCheckedAsPortsByGroupOrName() {
        assertTrue(Variables.defaults().set("WEB_PORTS", "[80,99999]").check().get(0).getMessage()
                .startsWith("$WEB_PORTS: bad port '99999'"));
        assertEquals(List.of(), Variables.defaults().set("HTTP_PORTS", "[80,8080]").check());
    }

    @Test
    void anEmptyListIsReportedWhereItBecomesEmpty() {
        List<RuleError> errors = Variables.defaults().set("HOME_NET", "any").check();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage().startsWith("$EXTERNAL_NET = '!$HOME_NET' matches no address"),
                errors.get(0).getMessage());
    }

    @Test
    void yamlVarsAreReadWithQuotesAndCommentsAndBadLinesNameTheirLine() {
        Variables v = Variables.defaults().loadYaml("""
                %YAML 1.1
                ---
                vars:
                  address-groups:
                    HOME_NET: "[10.0.0.0/8]"   # ours
                    DNS_SERVERS: 10.0.0.53
                  port-groups:
                    HTTP_PORTS: '[80,8080]'
                outputs:
                  - eve-log:
                      enabled: yes
                """, "s.yaml");
        assertEquals("[10.0.0.0/8]", v.get("HOME_NET"));
        assertEquals("10.0.0.53", v.get("DNS_SERVERS"));
        assertEquals("[80,8080]", v.get("HTTP_PORTS"));
        RuleError e = assertThrows(RuleError.class, () -> Variables.defaults().loadYaml(
                "vars:\n  adress-groups:\n    HOME_NET: any\n", "t.yaml"));
        assertEquals("t.yaml:2:3: expected 'address-groups:' or 'port-groups:' under 'vars:'", e.location());
        e = assertThrows(RuleError.class, () -> Variables.defaults().loadYaml(
                "vars:\n  address-groups:\n    HOME_NET: \"[10.0.0.0/8]\n", "t.yaml"));
        assertEquals("t.yaml:3:15: unterminated quoted value", e.location());
        e = assertThrows(RuleError.class, () -> Variables.defaults().loadYaml("outputs:\n  - x\n", "t.yaml"));
        assertTrue(e.getMessage().startsWith("no variables"), e.getMessage());
    }
}
