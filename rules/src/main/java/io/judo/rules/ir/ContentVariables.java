package io.judo.rules.ir;

/**
 * Which of a {@link Content}'s modifiers name a {@code byte_extract}/{@code byte_math} variable: the variable's index
 * in the rule for {@code offset}, {@code depth}, {@code distance} and {@code within}, -1 where the modifier is a
 * constant or unset. The content carries 0 in a modifier that names a variable (so that {@link Content#relative()}
 * still holds for a variable distance or within); the value comes from the variable per packet.
 */
public record ContentVariables(int offset, int depth, int distance, int within) {
    /** No modifier names a variable. */
    public static final ContentVariables NONE = new ContentVariables(-1, -1, -1, -1);

    public boolean any() {
        return offset >= 0 || depth >= 0 || distance >= 0 || within >= 0;
    }
}
