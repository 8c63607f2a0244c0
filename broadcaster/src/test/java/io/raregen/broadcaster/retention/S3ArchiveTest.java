package io.raregen.broadcaster.retention;

import io.raregen.broadcaster.app.AwsSettings;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link S3Archive} against a real S3-compatible server (S3Proxy, in-process, an in-memory blob store). */
class S3ArchiveTest {
    private static final String BUCKET = "raregen-archive-test";
    private static S3Proxy proxy;
    private static BlobStoreContext blobs;
    private static String endpoint;

    @TempDir
    Path tmp;

    @BeforeAll
    static void server() throws Exception {
        Properties p = new Properties();
        blobs = ContextBuilder.newBuilder("transient").overrides(p).build(BlobStoreContext.class);
        BlobStore store = blobs.getBlobStore();
        store.createContainerInLocation(null, BUCKET);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        endpoint = "http://127.0.0.1:" + port;
        // the same credentials S3Archive.create gives a client with an endpoint override
        proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create(endpoint))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "x", "x").build();
        proxy.start();
        for (int i = 0; i < 100 && !proxy.getState().equals("STARTED"); i++) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        blobs.close();
    }

    private static S3Archive archive(String prefix) {
        AwsSettings aws = new AwsSettings();
        aws.setEndpoint(endpoint);
        return S3Archive.create(aws, BUCKET, prefix);
    }

    @Test
    void whatIsPut_isWhatIsOpened_underThePrefix_andAPutAgainReplacesIt() throws Exception {
        S3Archive archive = archive("raregen-archive");
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(tmp.resolve("a.jsonl.gz"), bytes);
        archive.put("publish_job_transition_sets/2026/12/05.jsonl.gz", file);
        assertArrayEquals(bytes, read(archive, "publish_job_transition_sets/2026/12/05.jsonl.gz"));

        byte[] other = "second".getBytes();
        archive.put("publish_job_transition_sets/2026/12/05.jsonl.gz", Files.write(tmp.resolve("b"), other));
        assertArrayEquals(other, read(archive, "publish_job_transition_sets/2026/12/05.jsonl.gz"));

        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        archive.put("publish_job_transition_sets/2026/12/06.jsonl.gz", empty);
        assertArrayEquals(new byte[0], read(archive, "publish_job_transition_sets/2026/12/06.jsonl.gz"));

        List<String> names = new ArrayList<>();
        blobs.getBlobStore().list(BUCKET, org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive())
                .forEach(m -> names.add(m.getName()));
        assertTrue(names.contains("raregen-archive/publish_job_transition_sets/2026/12/05.jsonl.gz"), "" + names);
        assertTrue(names.contains("raregen-archive/publish_job_transition_sets/2026/12/06.jsonl.gz"), "" + names);
        assertEquals("s3://" + BUCKET + "/raregen-archive", archive.location());
    }

    @Test
    void aMissingKey_opensEmpty() throws Exception {
        assertEquals(Optional.empty(), archive("p").open("nothing/here.jsonl.gz"));
    }

    @Test
    void withoutAPrefix_theKeyIsTheObjectsName() throws Exception {
        S3Archive archive = archive("/");
        archive.put("top.json", Files.write(tmp.resolve("t"), "{}".getBytes()));
        assertTrue(blobs.getBlobStore().blobExists(BUCKET, "top.json"));
        assertEquals("s3://" + BUCKET, archive.location());
    }

    private static byte[] read(Archive archive, String key) throws Exception {
        Optional<InputStream> in = archive.open(key);
        assertTrue(in.isPresent(), key);
        try (InputStream s = in.get()) {
            return s.readAllBytes();
        }
    }
}
