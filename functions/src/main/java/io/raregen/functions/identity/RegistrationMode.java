package io.raregen.functions.identity;

/**
 * Who may register keys: anyone who proves possession ({@code OPEN}), only an operator ({@code ADMIN}), or a signed-in
 * account holder ({@code ACCOUNT}: a session is required, and the key becomes the account's; an operator may still
 * register keys of no account). In every mode a session sent with the registration binds the key to its account.
 */
public enum RegistrationMode {
    OPEN,
    ADMIN,
    ACCOUNT
}
