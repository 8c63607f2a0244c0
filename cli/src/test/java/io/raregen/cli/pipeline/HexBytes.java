package io.raregen.cli.pipeline;

import java.util.HexFormat;

/** Small byte helpers for the pipeline test. */
final class HexBytes {
    private HexBytes() {
    }

    static byte[] of(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** First index of {@code needle} in {@code hay}, or -1. */
    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
