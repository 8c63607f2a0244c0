package io.raregen.functions.queue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads queue message bodies strictly: exactly one of the two forms of the contract, or an assertion error. */
public final class QueueBodies {

    private static final Pattern ONE = Pattern.compile("\\{\"jobId\":\"([0-9A-Z]{26})\"}");
    private static final Pattern MANY = Pattern.compile("\\{\"jobIds\":\\[(\"[0-9A-Z]{26}\"(?:,\"[0-9A-Z]{26}\")+)]}");
    private static final Pattern ID = Pattern.compile("\"([0-9A-Z]{26})\"");

    private QueueBodies() {
    }

    /** The job ids of one body: {@code {"jobId":"<ULID>"}} or {@code {"jobIds":["<ULID>",...]}} with 2+ distinct ids. */
    public static List<String> jobIds(String body) {
        Matcher one = ONE.matcher(body);
        if (one.matches()) {
            return List.of(one.group(1));
        }
        Matcher many = MANY.matcher(body);
        if (!many.matches()) {
            throw new AssertionError("not a queue message of the contract: " + body);
        }
        List<String> ids = new ArrayList<>();
        Matcher id = ID.matcher(many.group(1));
        while (id.find()) {
            ids.add(id.group(1));
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            throw new AssertionError("a job id twice in one message: " + body);
        }
        return ids;
    }

    /** Every job id across {@code bodies}, in order, repeats kept (so a test can see an id sent twice). */
    public static List<String> jobIds(List<String> bodies) {
        List<String> all = new ArrayList<>();
        bodies.forEach(b -> all.addAll(jobIds(b)));
        return all;
    }

    /** True for the plural form. */
    public static boolean isPacked(String body) {
        return jobIds(body).size() > 1;
    }
}
