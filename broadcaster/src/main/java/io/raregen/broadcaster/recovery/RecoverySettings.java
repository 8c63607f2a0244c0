package io.raregen.broadcaster.recovery;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The recovery loops ({@code raregen.recovery.*}): {@link Reconciler}, {@link Rescuer}, {@link ReservationExpiry}
 * and {@link ConfirmationTracker}.
 */
@ConfigurationProperties("raregen.recovery")
public class RecoverySettings {
    /** Off: none of the loops runs. */
    private boolean enabled = true;
    /** Queued jobs older than this with no batch are fed to the collector. */
    private Duration reconcileAfter = Duration.ofSeconds(30);
    /** How often the reconciler runs. */
    private Duration reconcileInterval = Duration.ofSeconds(10);
    /**
     * The original batch mode's unstick timeout (docs/ARCHITECTURE.md#the-original-system), made safe: only jobs
     * with no signed transaction go back to queued.
     */
    private Duration rescueProcessingAfter = Duration.ofMinutes(2);
    /** Signed jobs not sent for this long are re-broadcast with their stored bytes. */
    private Duration rebroadcastAfter = Duration.ofSeconds(30);
    /** How often the rescuer runs. */
    private Duration rescueInterval = Duration.ofSeconds(10);
    /** How often expired UTXO reservations are released. */
    private Duration reservationExpiryInterval = Duration.ofSeconds(30);
    /** How often sent jobs are polled for confirmation. */
    private Duration confirmationInterval = Duration.ofSeconds(60);
    /** Sent jobs younger than this are not polled for confirmation yet. */
    private Duration confirmationMinAge = Duration.ofSeconds(60);
    /**
     * With ARC callbacks on ({@code raregen.arc.callback-url}), a mined status normally arrives by callback, so
     * polling is the fallback for callbacks that never come: sent jobs are polled only after this (two blocks).
     */
    private Duration confirmationFallbackMinAge = Duration.ofMinutes(20);
    /** Rows per loop round. */
    private int batchLimit = 500;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getReconcileAfter() { return reconcileAfter; }
    public void setReconcileAfter(Duration reconcileAfter) { this.reconcileAfter = reconcileAfter; }
    public Duration getReconcileInterval() { return reconcileInterval; }
    public void setReconcileInterval(Duration reconcileInterval) { this.reconcileInterval = reconcileInterval; }
    public Duration getRescueProcessingAfter() { return rescueProcessingAfter; }
    public void setRescueProcessingAfter(Duration rescueProcessingAfter) { this.rescueProcessingAfter = rescueProcessingAfter; }
    public Duration getRebroadcastAfter() { return rebroadcastAfter; }
    public void setRebroadcastAfter(Duration rebroadcastAfter) { this.rebroadcastAfter = rebroadcastAfter; }
    public Duration getRescueInterval() { return rescueInterval; }
    public void setRescueInterval(Duration rescueInterval) { this.rescueInterval = rescueInterval; }
    public Duration getReservationExpiryInterval() { return reservationExpiryInterval; }
    public void setReservationExpiryInterval(Duration reservationExpiryInterval) { this.reservationExpiryInterval = reservationExpiryInterval; }
    public Duration getConfirmationInterval() { return confirmationInterval; }
    public void setConfirmationInterval(Duration confirmationInterval) { this.confirmationInterval = confirmationInterval; }
    public Duration getConfirmationMinAge() { return confirmationMinAge; }
    public void setConfirmationMinAge(Duration confirmationMinAge) { this.confirmationMinAge = confirmationMinAge; }
    public Duration getConfirmationFallbackMinAge() { return confirmationFallbackMinAge; }
    public void setConfirmationFallbackMinAge(Duration confirmationFallbackMinAge) { this.confirmationFallbackMinAge = confirmationFallbackMinAge; }
    /** How old a sent job must be before the confirmation tracker asks about it. */
    public Duration confirmationMinAge(boolean callbacksRequested) {
        return callbacksRequested ? confirmationFallbackMinAge : confirmationMinAge;
    }
    public int getBatchLimit() { return batchLimit; }
    public void setBatchLimit(int batchLimit) { this.batchLimit = batchLimit; }
}
