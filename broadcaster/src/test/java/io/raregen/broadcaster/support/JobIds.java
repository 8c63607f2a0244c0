package io.raregen.broadcaster.support;

import io.raregen.core.types.JobId;

import java.util.List;

/** The typed form of job ids a test holds as strings (as {@link TestKit#insertJobs} returns them, for its SQL). */
public final class JobIds {
    private JobIds() {
    }

    public static List<JobId> of(List<String> ids) {
        return ids.stream().map(JobId::new).toList();
    }
}
