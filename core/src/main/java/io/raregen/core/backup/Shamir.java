package io.raregen.core.backup;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shamir's secret sharing over GF(2^8), a line-for-line port of the audited npm package
 * {@code shamir-secret-sharing} 0.0.4 (privy-io; itself derived from HashiCorp Vault's {@code shamir}):
 * the field is GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 with the generator 0xe5 for its log/exp tables,
 * a share is the secret's length of y bytes followed by its x coordinate as the last byte, and the x
 * coordinates are the first {@code shares} entries of a shuffle of 1..255.
 *
 * <p>Randomness is read in exactly the package's order (255 bytes for the coordinate shuffle, then
 * {@code threshold - 1} bytes of coefficients per secret byte), so for the same random bytes both
 * implementations produce the same shares, byte for byte; the committed test vectors hold this.
 * {@link #combine} is deterministic and gives the package's result for any input it accepts.
 */
public final class Shamir {
    public static final int MIN_SHARES = 2;
    public static final int MAX_SHARES = 255;

    private static final int[] LOG = new int[256];
    private static final int[] EXP = new int[256];

    static {
        // EXP[i] = 0xe5^i; the tables equal the package's LOG_TABLE / EXP_TABLE (checked by ShamirTest)
        int v = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = v;
            LOG[v] = i;
            v = multiplyNoTable(v, 0xe5);
        }
        EXP[255] = EXP[0];
        // the package's tables say log(1) = 255 (the same as 0 modulo 255) and log(0) = 0 (never used)
        LOG[1] = 255;
        LOG[0] = 0;
    }

    private Shamir() {
    }

    /**
     * Splits {@code secret} into {@code shares} shares of which any {@code threshold} rebuild it.
     *
     * @param random the source of coefficients and coordinates; a {@link SecureRandom} in production
     */
    public static List<byte[]> split(byte[] secret, int shares, int threshold, SecureRandom random) {
        if (secret == null || secret.length < 1) {
            throw new IllegalArgumentException("secret cannot be empty");
        }
        if (shares < MIN_SHARES || shares > MAX_SHARES) {
            throw new IllegalArgumentException("shares must be at least 2 and at most 255");
        }
        if (threshold < MIN_SHARES || threshold > MAX_SHARES) {
            throw new IllegalArgumentException("threshold must be at least 2 and at most 255");
        }
        if (shares < threshold) {
            throw new IllegalArgumentException("shares cannot be less than threshold");
        }
        if (random == null) {
            throw new IllegalArgumentException("a random source is required");
        }
        int[] xs = newCoordinates(random);
        int len = secret.length;
        List<byte[]> result = new ArrayList<>(shares);
        for (int i = 0; i < shares; i++) {
            byte[] share = new byte[len + 1];
            share[len] = (byte) xs[i];
            result.add(share);
        }
        int degree = threshold - 1;
        int[] coefficients = new int[degree + 1];
        byte[] draw = new byte[degree];
        for (int i = 0; i < len; i++) {
            coefficients[0] = secret[i] & 0xff;
            random.nextBytes(draw);
            for (int c = 0; c < degree; c++) {
                coefficients[c + 1] = draw[c] & 0xff;
            }
            for (int j = 0; j < shares; j++) {
                result.get(j)[i] = (byte) evaluate(coefficients, xs[j], degree);
            }
        }
        Arrays.fill(coefficients, 0);
        Arrays.fill(draw, (byte) 0);
        return result;
    }

    /**
     * Rebuilds the secret from shares (y bytes then x). Fails on the package's conditions: fewer than 2
     * or more than 255 shares, shares shorter than 2 bytes or of different lengths, a repeated x.
     * Fewer shares than the split's threshold give a wrong secret without error: the caller must know
     * the threshold and check the result (see {@link KeyBackup#recover}).
     */
    public static byte[] combine(List<byte[]> shares) {
        if (shares == null || shares.size() < MIN_SHARES || shares.size() > MAX_SHARES) {
            throw new IllegalArgumentException("shares must have at least 2 and at most 255 elements");
        }
        int shareLength = shares.get(0).length;
        for (byte[] s : shares) {
            if (s.length < 2) {
                throw new IllegalArgumentException("each share must be at least 2 bytes");
            }
            if (s.length != shareLength) {
                throw new IllegalArgumentException("all shares must have the same byte length");
            }
        }
        int n = shares.size();
        int[] xs = new int[n];
        boolean[] seen = new boolean[256];
        for (int i = 0; i < n; i++) {
            int x = shares.get(i)[shareLength - 1] & 0xff;
            if (seen[x]) {
                throw new IllegalArgumentException("shares must contain unique values but a duplicate was found");
            }
            seen[x] = true;
            xs[i] = x;
        }
        byte[] secret = new byte[shareLength - 1];
        int[] ys = new int[n];
        for (int i = 0; i < secret.length; i++) {
            for (int j = 0; j < n; j++) {
                ys[j] = shares.get(j)[i] & 0xff;
            }
            secret[i] = (byte) interpolateAtZero(xs, ys);
        }
        Arrays.fill(ys, 0);
        return secret;
    }

    // package's newCoordinates: a (knowingly biased) shuffle of 1..255 driven by 255 random bytes
    private static int[] newCoordinates(SecureRandom random) {
        int[] coordinates = new int[255];
        for (int i = 0; i < 255; i++) {
            coordinates[i] = i + 1;
        }
        byte[] indices = new byte[255];
        random.nextBytes(indices);
        for (int i = 0; i < 255; i++) {
            int j = (indices[i] & 0xff) % 255;
            int t = coordinates[i];
            coordinates[i] = coordinates[j];
            coordinates[j] = t;
        }
        return coordinates;
    }

    private static int evaluate(int[] coefficients, int x, int degree) {
        if (x == 0) {
            throw new IllegalStateException("cannot evaluate secret polynomial at zero");
        }
        int result = coefficients[degree];
        for (int i = degree - 1; i >= 0; i--) {
            result = mul(result, x) ^ coefficients[i];
        }
        return result;
    }

    private static int interpolateAtZero(int[] xs, int[] ys) {
        int result = 0;
        for (int i = 0; i < xs.length; i++) {
            int basis = 1;
            for (int j = 0; j < xs.length; j++) {
                if (i != j) {
                    basis = mul(basis, div(xs[j], xs[i] ^ xs[j]));
                }
            }
            result ^= mul(ys[i], basis);
        }
        return result;
    }

    static int mul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[(LOG[a] + LOG[b]) % 255];
    }

    static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("cannot divide by zero");
        }
        if (a == 0) {
            return 0;
        }
        return EXP[(LOG[a] - LOG[b] + 255) % 255];
    }

    static int log(int a) {
        return LOG[a];
    }

    static int exp(int i) {
        return EXP[i];
    }

    // carry-less multiplication reduced by the AES polynomial 0x11b; only used to build the tables
    private static int multiplyNoTable(int a, int b) {
        int p = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                p ^= a;
            }
            a <<= 1;
            if ((a & 0x100) != 0) {
                a ^= 0x11b;
            }
            b >>= 1;
        }
        return p;
    }
}
