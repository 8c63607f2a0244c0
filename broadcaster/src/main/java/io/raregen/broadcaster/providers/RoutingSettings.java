package io.raregen.broadcaster.providers;

import io.micronaut.context.annotation.ConfigurationProperties;

/** How transactions are spread over the providers ({@code raregen.arc.routing.*}). */
@ConfigurationProperties("raregen.arc.routing")
public class RoutingSettings {

    public enum Policy {
        /** Everything to the first provider whose breaker is closed; what it cannot answer goes to the next. */
        PRIMARY_WITH_FAILOVER,
        /** Every transaction to {@code sendTo} providers at once; the first acceptance decides. */
        ALL
    }

    private Policy policy = Policy.PRIMARY_WITH_FAILOVER;
    /** For {@code all}: how many providers get each transaction (k of m); 0 = every provider. */
    private int sendTo;

    public Policy getPolicy() { return policy; }
    public void setPolicy(Policy policy) { this.policy = policy; }
    public int getSendTo() { return sendTo; }
    public void setSendTo(int sendTo) { this.sendTo = sendTo; }
}
