package io.raregen.core.docs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A clone must stand alone: docs and comments may only point at files the repository contains. Walks the
 * repository's text files (not {@code target/}, {@code node_modules/} or hidden state directories) and fails on
 * references to the design notes and seed documents that lived beside the first checkout, on Markdown links to
 * files that do not exist, on {@code docs/…md#anchor} references to headings that do not exist, and on invariant
 * numbers (I1, I2, …) that docs/ARCHITECTURE.md#invariants does not define.
 */
class RepositoryReferencesTest {

    /** References to documents outside the repository, each with what to write instead. */
    private static final Map<Pattern, String> OUTSIDE = Map.of(
            Pattern.compile("(?<![\\w./-])(?:\\.\\./)*shared[/]"), "a path outside the repository",
            Pattern.compile("(?i)\\bDESIGN\\.md"), "the old design notes: cite docs/ARCHITECTURE.md",
            Pattern.compile("(?i)\\bseeds?\\s*#?0\\d\\d\\b|\\bseeds[/]"),
            "a seed document: cite docs/ARCHITECTURE.md#the-original-system",
            Pattern.compile("(?<![\\w/.-])(?:STACK|CONVENTIONS|ARC)\\.md\\b"),
            "a note outside the repository: cite what the repository says (docs/ARCHITECTURE.md#arc, #glossary)");

    private static final Set<String> TEXT_EXTENSIONS = Set.of(
            "md", "java", "sql", "sh", "yml", "yaml", "ts", "js", "mjs", "cjs", "xml", "properties", "json", "txt",
            "html", "css");
    /** Extension-less scripts that are part of the repository. */
    private static final Set<String> SCRIPTS = Set.of("raregen", ".ci/run");
    private static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", "cdk.out");

    private static final Pattern MARKDOWN_LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern DOC_ANCHOR = Pattern.compile(
            "(?<![\\w./-])((?:docs|core|migrations|functions|broadcaster|localstack|cli|infra-cdk)/[\\w./-]*\\.md)#([\\w-]+)");
    private static final Pattern INVARIANT = Pattern.compile("(?<![\\w+/=])I([1-9])(?![\\w+/=])");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

    private static Path root;
    private static Map<String, String> files;

    @BeforeAll
    static void readRepository() throws IOException {
        root = findRoot();
        files = readTextFiles(root);
        assertTrue(files.containsKey("docs/ARCHITECTURE.md"), "walked " + root + " but found no docs/ARCHITECTURE.md");
    }

    @Test
    void noReferenceLeavesTheRepository() {
        List<String> problems = new ArrayList<>();
        files.forEach((path, text) -> {
            if (path.endsWith("/RepositoryReferencesTest.java")) {
                return;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String problem : outsideReferences(lines[i])) {
                    problems.add(path + ":" + (i + 1) + ": " + problem + "\n    " + lines[i].strip());
                }
            }
        });
        report("references to files a clone does not contain", problems);
    }

    @Test
    void thePatternsCatchTheOldFormsAndSpareLegitimateNames() {
        // the old forms are written with a '~' that is taken out here, so this file does not itself cite them
        for (String written : List.of("refines `shared~/DESIGN~.md`", "(see ../shared~/STACK~.md)", "DESIGN~.md §5, I2",
                "seed~ 002's unstick", "(Seed~ 001, verbatim)", "seeds~/002_x.txt", "(ARC~.md, \"Callbacks\")",
                "listed in STACK~.md", "CONVENTIONS~.md")) {
            String old = written.replace("~", "");
            assertFalse(outsideReferences(old).isEmpty(), old);
        }
        for (String fine : List.of("docs/ARCHITECTURE.md#arc", "docs/ARC.md", "--fault-seed 42", "re-seeds it",
                "the seed's query", "frontend/shared/x.ts", "seed of the generator")) {
            assertEquals(List.of(), outsideReferences(fine), fine);
        }
    }

    @Test
    void headingIdsFollowGitHub() {
        Set<String> ids = anchors("# Architecture: how it works\n## I1 — No `lost` record\n## Flow\n## Flow\n"
                + "```\n## not a heading\n```\n### <a id=\"arc-api\"></a>The [ARC](x.md) API\n");
        assertEquals(Set.of("architecture-how-it-works", "i1--no-lost-record", "flow", "flow-1", "the-arc-api", "arc-api"), ids);
    }

    static List<String> outsideReferences(String line) {
        List<String> found = new ArrayList<>();
        OUTSIDE.forEach((pattern, what) -> {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                found.add("'" + m.group() + "' is " + what);
            }
        });
        return found;
    }

    @Test
    void everyRelativeMarkdownLinkResolves() {
        List<String> problems = new ArrayList<>();
        files.forEach((path, text) -> {
            if (!path.endsWith(".md")) {
                return;
            }
            String[] lines = withoutCode(text, true).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = MARKDOWN_LINK.matcher(lines[i]);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*") || target.startsWith("#")) {
                        continue; // a URL (https:, mailto:) or an anchor in the same file
                    }
                    String file = target.replaceFirst("[#?].*$", "");
                    Path resolved = file.startsWith("/") ? root.resolve(file.substring(1))
                            : root.resolve(path).getParent().resolve(file);
                    if (!Files.exists(resolved.normalize())) {
                        problems.add(path + ":" + (i + 1) + ": link to " + target + " (no " + root.relativize(resolved.normalize()) + ")");
                    }
                }
            }
        });
        report("Markdown links to files that do not exist", problems);
    }

    @Test
    void everyCitedDocAnchorExists() {
        Map<String, Set<String>> anchorsByDoc = new HashMap<>();
        List<String> problems = new ArrayList<>();
        files.forEach((path, text) -> {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = DOC_ANCHOR.matcher(lines[i]);
                while (m.find()) {
                    String doc = Path.of(m.group(1)).normalize().toString().replace('\\', '/');
                    if (!files.containsKey(doc)) {
                        problems.add(path + ":" + (i + 1) + ": " + m.group() + " (no file " + doc + ")");
                        continue;
                    }
                    Set<String> anchors = anchorsByDoc.computeIfAbsent(doc, d -> anchors(files.get(d)));
                    if (!anchors.contains(m.group(2).toLowerCase(Locale.ROOT))) {
                        problems.add(path + ":" + (i + 1) + ": " + m.group() + " (headings there: " + new TreeSet<>(anchors) + ")");
                    }
                }
            }
        });
        report("citations of headings that do not exist", problems);
    }

    @Test
    void everyCitedInvariantIsDefined() {
        String architecture = files.get("docs/ARCHITECTURE.md");
        Set<String> defined = new HashSet<>();
        Matcher d = Pattern.compile("\\*\\*I([1-9]) — ").matcher(architecture);
        while (d.find()) {
            defined.add(d.group(1));
        }
        assertTrue(defined.size() >= 5, "docs/ARCHITECTURE.md#invariants defines only " + defined);
        List<String> problems = new ArrayList<>();
        files.forEach((path, text) -> {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = INVARIANT.matcher(lines[i]);
                while (m.find()) {
                    if (!defined.contains(m.group(1))) {
                        problems.add(path + ":" + (i + 1) + ": " + m.group() + " is not defined in docs/ARCHITECTURE.md#invariants");
                    }
                }
            }
        });
        report("invariants cited but not defined", problems);
    }

    /** GitHub's heading ids: lower case, punctuation other than '-' and '_' dropped, spaces to '-', repeats numbered. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : withoutCode(markdown, false).split("\n", -1)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String text = h.group(1)
                        .replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1") // a link keeps its text
                        .replaceAll("<[^>]+>", "")                       // inline HTML
                        .replace("`", "").replace("*", "").strip();
                String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum);
                anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
            Matcher a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                anchors.add(a.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return anchors;
    }

    /** The text with fenced code blocks (and inline code, if asked) blanked; lines kept, so line numbers stay right. */
    static String withoutCode(String markdown, boolean inline) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                fenced = !fenced;
                out.append('\n');
                continue;
            }
            out.append(fenced ? "" : inline ? line.replaceAll("`[^`]*`", "``") : line).append('\n');
        }
        return out.toString();
    }

    private static void report(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " " + what + ":\n" + String.join("\n", problems));
        }
    }

    /** Maven runs a module's tests in the module directory: the root is the nearest parent whose pom lists modules. */
    private static Path findRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml with <modules> above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, String> readTextFiles(Path root) throws IOException {
        Map<String, String> out = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean hidden = name.startsWith(".") && !dir.equals(root) && !name.equals(".ci") && !name.equals(".github");
                return hidden || SKIPPED_DIRS.contains(name) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = root.relativize(file).toString().replace('\\', '/');
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
                boolean lockfile = name.equals("package-lock.json");
                if (attrs.isRegularFile() && !lockfile && (TEXT_EXTENSIONS.contains(ext) || SCRIPTS.contains(rel))) {
                    try {
                        out.put(rel, Files.readString(file, StandardCharsets.UTF_8));
                    } catch (MalformedInputException notUtf8) {
                        // not text after all
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }
}
