package io.raregen.functions.identity;

/** Who may register keys: anyone who proves possession ({@code OPEN}) or only an operator ({@code ADMIN}). */
public enum RegistrationMode {
    OPEN,
    ADMIN
}
