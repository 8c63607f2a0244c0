package io.raregen.infra;

import io.raregen.infra.RaregenApp.Stacks;
import io.raregen.infra.nag.NagRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * One synth of the whole app with the default configuration, shared by every test class in the JVM
 * (a synth costs seconds; the templates are read-only). The Lambda code is a placeholder directory in
 * target/, so the tests never depend on the functions module having been built.
 */
public final class TestApps {

    private static Stacks stacks;
    private static App app;

    private TestApps() {
    }

    public static synchronized Stacks defaults() {
        if (stacks == null) {
            app = new App(AppProps.builder().analyticsReporting(false).context(cdkJsonContext()).build());
            stacks = RaregenApp.build(app, AppConfig.defaults().withArtifacts(placeholderFunctionsCode().toString(), null)
                    .withWebDist(placeholderWebDist().toString()));
            NagRules.apply(app, stacks);
        }
        return stacks;
    }

    /**
     * A fresh app (its own synth, not shared) from cdk.json's context plus {@code context}, read by
     * {@link AppConfig#fromContext} as {@code cdk synth -c key=value} would, with cdk-nag applied. Its stacks
     * have the default names: read them with {@code Template.fromStack}, not {@link #template} (cached by name).
     */
    public static Stacks withContext(java.util.Map<String, Object> context) {
        java.util.Map<String, Object> all = cdkJsonContext();
        all.putAll(context);
        App fresh = new App(AppProps.builder().analyticsReporting(false).context(all).build());
        AppConfig config = AppConfig.fromContext(fresh.getNode())
                .withArtifacts(placeholderFunctionsCode().toString(), null)
                .withWebDist(placeholderWebDist().toString());
        Stacks built = RaregenApp.build(fresh, config);
        NagRules.apply(fresh, built);
        return built;
    }

    public static App app() {
        defaults();
        return app;
    }

    /** Cached per stack: Template.fromStack synthesises the whole app once, then reads one template. */
    private static final java.util.Map<String, Template> TEMPLATES = new java.util.concurrent.ConcurrentHashMap<>();

    public static Template template(Stack stack) {
        return TEMPLATES.computeIfAbsent(stack.getStackName(), n -> Template.fromStack(stack));
    }

    /** The feature flags and context of cdk.json, so the tests synthesise what `cdk synth` does. */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> cdkJsonContext() {
        try {
            String json = Files.readString(Path.of("cdk.json"));
            java.util.Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(json); // JSON is YAML
            return new java.util.HashMap<>((java.util.Map<String, Object>) root.get("context"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-page web app, standing in for web/target/dist/. */
    public static Path placeholderWebDist() {
        Path dir = Path.of(System.getProperty("raregen.test.assets", "target/test-assets"), "web");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("index.html"), "<!doctype html><title>placeholder for the web app in CDK unit tests</title>\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A directory with one file, standing in for the shaded jar. */
    public static Path placeholderFunctionsCode() {
        Path dir = Path.of(System.getProperty("raregen.test.assets", "target/test-assets"), "functions");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("README.txt"), "placeholder for the functions jar in CDK unit tests\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
