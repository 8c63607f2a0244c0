package io.raregen.core.tx;

import io.raregen.core.types.Satoshis;

/** The inputs do not cover the outputs plus the fee. */
public final class InsufficientFundsException extends RuntimeException {
    private final Satoshis available;
    private final Satoshis required;

    public InsufficientFundsException(Satoshis available, Satoshis required) {
        super("inputs hold " + available.value() + " sat, outputs plus fee need " + required.value() + " sat");
        this.available = available;
        this.required = required;
    }

    public Satoshis available() {
        return available;
    }

    public Satoshis required() {
        return required;
    }
}
