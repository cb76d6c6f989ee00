package io.judo.vm.opt;

/** One transformation; returns whether it changed the code. */
interface Pass {
    String name();

    boolean apply(Code c);
}
