package io.raregen.localchain.ledger;

/**
 * Per-request switches of a submit (ARC's headers).
 *
 * @param skipScriptValidation X-SkipScriptValidation (or the chain's start-up switch)
 * @param skipFeeValidation    X-SkipFeeValidation
 * @param skipTxValidation     X-SkipTxValidation: skips every policy check; inputs and conflicts are still checked
 * @param callback             null when no X-CallbackUrl was sent
 */
public record SubmitOptions(boolean skipScriptValidation, boolean skipFeeValidation, boolean skipTxValidation,
                            CallbackTarget callback) {
    public static final SubmitOptions DEFAULT = new SubmitOptions(false, false, false, null);
}
