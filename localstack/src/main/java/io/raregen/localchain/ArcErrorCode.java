package io.raregen.localchain;

/** ARC's error statuses (RFC 7807 bodies) that the local chain answers, with ARC's titles. */
public enum ArcErrorCode {
    BAD_REQUEST(400, "Bad request"),
    NOT_FOUND(404, "Not found"),
    GENERIC(409, "Generic error"),
    NOT_EXTENDED_FORMAT(460, "Not extended format"),
    UNLOCKING_SCRIPTS(461, "Malformed transaction"),
    INPUTS(462, "Invalid inputs"),
    MALFORMED(463, "Malformed transaction"),
    OUTPUTS(464, "Invalid outputs"),
    FEE_TOO_LOW(465, "Fee too low"),
    CONFLICTING(466, "Conflicting tx found"),
    TX_SIZE(474, "Transaction size too large"),
    INTERNAL(500, "Internal server error"),
    UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    ArcErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The RFC 7807 "type" URL, in ARC's style. */
    public String type() {
        return "https://bitcoin-sv.github.io/arc/#/errors?id=_" + status;
    }

    public static ArcErrorCode ofStatus(int status) {
        for (ArcErrorCode c : values()) {
            if (c.status == status) {
                return c;
            }
        }
        throw new IllegalArgumentException("no ARC error with status " + status);
    }
}
