package io.camelbitrix24.examples.jbang;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/** {@code camel ...}: Camel JBang's CLI, as its launcher starts it. */
public final class CamelJBang {

    private CamelJBang() {
    }

    public static void main(String[] args) {
        CamelJBangMain.run(args);
    }
}
