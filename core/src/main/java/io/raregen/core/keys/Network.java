package io.raregen.core.keys;

/** BSV networks; TEST and REGTEST share address and WIF prefixes. */
public enum Network {
    MAIN(0x00, 0x80),
    TEST(0x6f, 0xef),
    REGTEST(0x6f, 0xef);

    private final int p2pkhVersion;
    private final int wifVersion;

    Network(int p2pkhVersion, int wifVersion) {
        this.p2pkhVersion = p2pkhVersion;
        this.wifVersion = wifVersion;
    }

    public int p2pkhVersion() {
        return p2pkhVersion;
    }

    public int wifVersion() {
        return wifVersion;
    }

    /** Parses "main", "test" or "regtest" (any case), as in the `raregen.network` setting. */
    public static Network parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("network must be main, test or regtest");
        }
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "main", "mainnet" -> MAIN;
            case "test", "testnet" -> TEST;
            case "regtest" -> REGTEST;
            default -> throw new IllegalArgumentException("network must be main, test or regtest, got " + s);
        };
    }
}
