package io.raregen.broadcaster.keys;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the service keys come from ({@code raregen.keys.*}). WIF strings are secrets: they are never
 * logged and never appear in {@link #toString()}.
 */
@ConfigurationProperties("raregen.keys")
public class KeySettings {
    /** WIF of the pool key: publish UTXOs and change pay to it. */
    private String poolWif;
    /** WIF of the funding key; the pool key when unset. */
    private String fundingWif;
    /**
     * Local runs only: when no pool WIF is configured, load keys from {@link #keyFile} or generate and
     * persist them there (owner-only permissions). Refused on main net.
     */
    private boolean generateIfMissing = false;
    private String keyFile = ".raregen/service-keys.properties";

    public String getPoolWif() {
        return poolWif;
    }

    public void setPoolWif(String poolWif) {
        this.poolWif = poolWif;
    }

    public String getFundingWif() {
        return fundingWif;
    }

    public void setFundingWif(String fundingWif) {
        this.fundingWif = fundingWif;
    }

    public boolean isGenerateIfMissing() {
        return generateIfMissing;
    }

    public void setGenerateIfMissing(boolean generateIfMissing) {
        this.generateIfMissing = generateIfMissing;
    }

    public String getKeyFile() {
        return keyFile;
    }

    public void setKeyFile(String keyFile) {
        this.keyFile = keyFile;
    }

    @Override
    public String toString() {
        return "KeySettings[poolWif=" + (poolWif == null ? "unset" : "***") + ", fundingWif="
                + (fundingWif == null ? "unset" : "***") + ", generateIfMissing=" + generateIfMissing
                + ", keyFile=" + keyFile + "]";
    }
}
