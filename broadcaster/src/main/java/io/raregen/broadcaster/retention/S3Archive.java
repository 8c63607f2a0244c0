package io.raregen.broadcaster.retention;

import io.raregen.broadcaster.app.AwsSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** An {@link Archive} in an S3 bucket: an object is stored under {@code <prefix>/<key>}. */
public final class S3Archive implements Archive {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3Archive(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    }

    /**
     * With the application's AWS client settings: an endpoint override (an S3-compatible server) gets path-style
     * addresses, checksums only where required and dummy static credentials; AWS itself the default credentials
     * chain and the SDK's default integrity checks.
     */
    public static S3Archive create(AwsSettings aws, String bucket, String prefix) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofMinutes(2)))
                .region(Region.of(aws.getRegion()));
        if (aws.getEndpoint() != null && !aws.getEndpoint().isBlank()) {
            // S3-compatible servers: checksums only where the API requires them (the SDK's default trailing checksums
            // are an AWS extension not every such server implements)
            b.endpointOverride(URI.create(aws.getEndpoint())).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")));
        } else {
            b.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return new S3Archive(b.build(), bucket, prefix);
    }

    @Override
    public void put(String key, Path file) throws IOException {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey(key)).build(), RequestBody.fromFile(file));
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
        try {
            return Optional.of(s3.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    String objectKey(String key) {
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }
}
