package io.raregen.cli.verify;

/** One line of a verification report. */
public record Check(String name, Outcome outcome, String detail) {

    public enum Outcome { PASS, FAIL, SKIP }

    static Check pass(String name, String detail) {
        return new Check(name, Outcome.PASS, detail);
    }

    static Check fail(String name, String detail) {
        return new Check(name, Outcome.FAIL, detail);
    }

    static Check skip(String name, String detail) {
        return new Check(name, Outcome.SKIP, detail);
    }
}
