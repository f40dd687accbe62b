package archy.blossom;

import archy.config.Blossom;
import archy.nostr.Hex;
import archy.plugin.BlobInfo;
import archy.plugin.DeliveryMeter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blob bytes in an S3-compatible bucket: {@code <prefix><sha256>}, one object per blob, with staging
 * objects under {@code <prefix>tmp/}. An upload is held in one part-sized buffer; a blob that fits is put
 * under its hash once both hashes check, with no staging. A larger one streams as a multipart upload to a
 * staging key, one part in flight while the next fills (two buffers: memory is bounded whatever the size),
 * and is copied to its hash only after the hashes check; a refused upload is aborted, or, where the server
 * refuses to abort (s3rver), completed and deleted, so no part is left behind. Bytes whose hash is stored
 * already (a second upload of a blob) are dropped, and the object is left as it is.
 *
 * <p>Reads ask for explicit ranges computed from the indexed size ({@code bytes=first-last}, never a suffix
 * range, which some servers do not support). The client is the AWS SDK v2 with its JDK-based
 * url-connection HTTP client (no Apache or Netty client on the class path), with chunked payload encoding
 * off and checksums only where an operation requires them: servers other than AWS (s3rver) store chunked
 * or checksum-trailed uploads corrupted, and both hashes of every blob are checked by us anyway.
 */
final class S3Storage implements BlobStorage {
  private static final Logger log = LoggerFactory.getLogger(S3Storage.class);
  /** The part size; S3's smallest part (all but the last) is 5 MiB. */
  static final int PART = 8 << 20;
  /** The largest object one CopyObject may copy; larger ones are copied part by part. */
  private static final long MAX_SINGLE_COPY = 5L << 30;
  /** Staging objects and multipart uploads older than this are leftovers of a process that died. */
  private static final Duration STALE = Duration.ofDays(1);
  private static final String TMP = "tmp/";

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final ExecutorService parts = Executors.newVirtualThreadPerTaskExecutor();
  private final String description;

  private S3Storage(S3Client s3, Blossom.S3 config) {
    this.s3 = s3;
    this.bucket = config.bucket();
    this.prefix = config.prefix();
    this.description = config.toString();
  }

  /** Connects to the bucket (failing now, with the reason, when it cannot be reached) and clears old leftovers. */
  static S3Storage open(Blossom.S3 config) throws IOException {
    var builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)).build())
        .region(Region.of(config.region()))
        .credentialsProvider(credentials(config))
        .forcePathStyle(config.pathStyle())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
    if (config.endpoint() != null) builder.endpointOverride(URI.create(config.endpoint()));
    S3Client client = builder.build();
    S3Storage storage = new S3Storage(client, config);
    try {
      client.headBucket(b -> b.bucket(config.bucket()));
    } catch (SdkException e) {
      client.close();
      throw new IOException("cannot reach blob bucket " + config + ": " + e.getMessage(), e);
    }
    storage.removeLeftovers();
    return storage;
  }

  private static AwsCredentialsProvider credentials(Blossom.S3 config) {
    if (config.accessKey() != null) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    }
    return EnvironmentVariableCredentialsProvider.create();
  }

  private String key(String sha256) {
    return prefix + sha256;
  }

  @Override
  public boolean exists(String sha256) {
    return true;
  }

  @Override
  public Sink newSink() {
    return new Upload();
  }

  @Override
  public Body open(BlobInfo blob, long first, long length) throws IOException {
    InputStream in = read(blob, first, length);
    return new Body() {
      @Override
      public void send(Response response, Callback done, DeliveryMeter meter) {
        Thread.ofVirtual().name("blob-s3-get").start(() -> stream(in, length, response, done, meter));
      }

      @Override
      public void close() {
        closeQuietly(in);
      }
    };
  }

  /**
   * Copies the object's stream into the response in chunks of {@link DeliveryMeter#CHUNK}, each counted as it
   * is handed over; blocking on each write keeps one chunk in memory and lets a slow client slow the read.
   */
  private static void stream(InputStream in, long length, Response response, Callback done, DeliveryMeter meter) {
    Throwable failure = null;
    try (in) {
      byte[] chunk = new byte[(int) Math.min(DeliveryMeter.CHUNK, Math.max(1, length))];
      long left = length;
      do {
        int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, left));
        if (n == 0 && left > 0) throw new IOException("the object ended " + left + " bytes early");
        left -= n;
        meter.handed(n);
        try (Blocker.Callback written = Blocker.callback()) {
          response.write(left == 0, ByteBuffer.wrap(chunk, 0, n), written);
          written.block();
        }
      } while (left > 0);
    } catch (Throwable t) {
      failure = t;
    }
    try {
      meter.end();
    } finally {
      if (failure == null) done.succeeded();
      else done.failed(failure);
    }
  }

  @Override
  public InputStream read(BlobInfo blob, long first, long length) throws IOException {
    if (length == 0) return InputStream.nullInputStream(); // no range names zero bytes
    String range = "bytes=" + first + "-" + (first + length - 1);
    return call(blob.sha256(), () -> s3.getObject(g -> g.bucket(bucket).key(key(blob.sha256())).range(range)));
  }

  @Override
  public InputStream readAll(String sha256) throws IOException {
    return call(sha256, () -> s3.getObject(g -> g.bucket(bucket).key(key(sha256))));
  }

  @Override
  public void delete(String sha256) throws IOException {
    call(sha256, () -> s3.deleteObject(d -> d.bucket(bucket).key(key(sha256))));
  }

  @Override
  public List<String> storedHashes() throws IOException {
    List<String> hashes = new ArrayList<>();
    for (S3Object o : list(prefix)) {
      String name = o.key().substring(prefix.length());
      if (Hex.isLowerHex(name, 64)) hashes.add(name);
    }
    return hashes;
  }

  private Iterable<S3Object> list(String under) throws IOException {
    return call(under, () -> s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(under)).contents());
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    parts.close();
    s3.close();
  }

  /**
   * Staging objects and multipart uploads left by a process that died mid-upload. Only old ones: other
   * processes sharing the bucket may be uploading right now.
   */
  private void removeLeftovers() {
    Instant cutoff = Instant.now().minus(STALE);
    int removed = 0;
    try {
      for (S3Object o : list(prefix + TMP)) {
        if (o.lastModified().isBefore(cutoff)) {
          s3.deleteObject(d -> d.bucket(bucket).key(o.key()));
          removed++;
        }
      }
      for (var upload : s3.listMultipartUploadsPaginator(l -> l.bucket(bucket).prefix(prefix + TMP)).uploads()) {
        if (upload.initiated().isBefore(cutoff)) {
          s3.abortMultipartUpload(a -> a.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
          removed++;
        }
      }
    } catch (IOException | SdkException e) {
      log.info("could not clear old staging uploads in {}: {}", description, e.getMessage());
    }
    if (removed > 0) log.info("removed {} staging uploads left by processes that stopped", removed);
  }

  /**
   * Whether an object is named {@code sha256} already (a commit runs under the hash's lock, across processes, so
   * nothing names it meanwhile). Bytes already there are kept, as on files: rewriting them would cost a put or a
   * server-side copy of the whole blob per re-upload, and servers that rewrite an object in place (s3rver) cut
   * short the GETs reading it at that moment.
   */
  private boolean held(String sha256) throws IOException {
    try {
      call(sha256, () -> s3.headObject(h -> h.bucket(bucket).key(key(sha256))));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @FunctionalInterface
  private interface S3Call<T> {
    T run();
  }

  /** Runs one S3 call; a missing object is a {@link NoSuchFileException}, any other failure an IOException. */
  private static <T> T call(String what, S3Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(what);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) throw new NoSuchFileException(what);
      throw new IOException("S3 refused (" + e.statusCode() + "): " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("S3 failed: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Nothing was written.
    }
  }

  /** One upload: a part buffer filling while the previous part goes out. */
  private final class Upload implements Sink {
    private byte[] filling = new byte[PART];
    private byte[] spare;
    private int filled;
    private long total;
    private String stagingKey;
    private String uploadId;
    private Future<CompletedPart> inFlight;
    private final List<CompletedPart> done = new ArrayList<>();
    private boolean finished;

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        int n = Math.min(length, PART - filled);
        System.arraycopy(bytes, offset, filling, filled, n);
        filled += n;
        total += n;
        offset += n;
        length -= n;
        if (filled == PART) sendPart();
      }
    }

    /** Hands the full buffer to a part upload after the one before it is done; fills the other buffer meanwhile. */
    private void sendPart() throws IOException {
      if (uploadId == null) {
        stagingKey = prefix + TMP + UUID.randomUUID();
        uploadId = call(stagingKey, () -> s3.createMultipartUpload(c -> c.bucket(bucket).key(stagingKey)).uploadId());
      }
      awaitInFlight();
      byte[] bytes = filling;
      int length = filled;
      int number = done.size() + 1;
      inFlight = parts.submit(() -> {
        String etag = s3.uploadPart(u -> u.bucket(bucket).key(stagingKey).uploadId(uploadId).partNumber(number)
            .contentLength((long) length), body(bytes, length)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
      });
      filling = spare != null ? spare : new byte[PART];
      spare = bytes;
      filled = 0;
    }

    private void awaitInFlight() throws IOException {
      if (inFlight == null) return;
      try {
        done.add(inFlight.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("upload interrupted");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof SdkException s ? new IOException("S3 refused a part: " + s.getMessage(), s)
            : new IOException("uploading a part failed", cause);
      } finally {
        inFlight = null;
      }
    }

    @Override
    public Staged finish() throws IOException {
      if (uploadId == null) {
        finished = true;
        return new Buffered(filling, filled);
      }
      if (filled > 0) sendPart();
      awaitInFlight();
      List<CompletedPart> all = List.copyOf(done);
      call(stagingKey, () -> s3.completeMultipartUpload(c -> c.bucket(bucket).key(stagingKey).uploadId(uploadId)
          .multipartUpload(m -> m.parts(all))));
      finished = true;
      return new StagedObject(stagingKey, total);
    }

    @Override
    public void close() {
      if (finished || uploadId == null) return;
      finished = true;
      try {
        awaitInFlight();
      } catch (IOException e) {
        // That part is not in the list; abort (or complete) drops what the server holds of it.
      }
      try {
        s3.abortMultipartUpload(a -> a.bucket(bucket).key(stagingKey).uploadId(uploadId));
        return;
      } catch (SdkException refused) {
        log.debug("the server refused to abort a multipart upload ({}); completing and deleting it instead",
            refused.getMessage());
      }
      try {
        if (!done.isEmpty()) {
          List<CompletedPart> all = List.copyOf(done);
          s3.completeMultipartUpload(c -> c.bucket(bucket).key(stagingKey).uploadId(uploadId)
              .multipartUpload(m -> m.parts(all)));
        }
        s3.deleteObject(d -> d.bucket(bucket).key(stagingKey));
      } catch (SdkException e) {
        log.warn("could not remove the parts of a failed upload at {} (removed a day later at start)", stagingKey, e);
      }
    }
  }

  private static RequestBody body(byte[] bytes, int length) {
    // A provider, not a stream: the SDK re-reads the body to sign it and on a retry.
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
        "application/octet-stream");
  }

  /** A blob smaller than a part, still in memory: committed by putting it under its hash. */
  private final class Buffered implements Staged {
    private final byte[] bytes;
    private final int length;

    Buffered(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    @Override
    public void commit(String sha256) throws IOException {
      if (held(sha256)) return;
      call(sha256, () -> s3.putObject(p -> p.bucket(bucket).key(key(sha256)).contentLength((long) length),
          body(bytes, length)));
    }

    @Override
    public void discard() {}
  }

  /** A completed staging object: committed by a server-side copy to its hash. */
  private final class StagedObject implements Staged {
    private final String stagingKey;
    private final long size;

    StagedObject(String stagingKey, long size) {
      this.stagingKey = stagingKey;
      this.size = size;
    }

    @Override
    public void commit(String sha256) throws IOException {
      if (!held(sha256)) copyTo(key(sha256));
      discard();
    }

    private void copyTo(String target) throws IOException {
      if (size <= MAX_SINGLE_COPY) {
        call(target, () -> s3.copyObject(c -> c.sourceBucket(bucket).sourceKey(stagingKey)
            .destinationBucket(bucket).destinationKey(target)));
      } else {
        copyInParts(target);
      }
    }

    /** CopyObject stops at 5 GiB: larger objects are copied range by range into a multipart upload. */
    private void copyInParts(String target) throws IOException {
      String id = call(target, () -> s3.createMultipartUpload(c -> c.bucket(bucket).key(target)).uploadId());
      long partSize = 1L << 30;
      List<CompletedPart> copied = new ArrayList<>();
      for (long first = 0; first < size; first += partSize) {
        int number = copied.size() + 1;
        String range = "bytes=" + first + "-" + (Math.min(size, first + partSize) - 1);
        String etag = call(target, () -> s3.uploadPartCopy(u -> u.sourceBucket(bucket).sourceKey(stagingKey)
            .destinationBucket(bucket).destinationKey(target).uploadId(id).partNumber(number).copySourceRange(range))
            .copyPartResult().eTag());
        copied.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      call(target, () -> s3.completeMultipartUpload(c -> c.bucket(bucket).key(target).uploadId(id)
          .multipartUpload(m -> m.parts(copied))));
    }

    @Override
    public void discard() {
      try {
        s3.deleteObject(d -> d.bucket(bucket).key(stagingKey));
      } catch (SdkException e) {
        log.warn("could not delete staging object {} (removed a day later at start)", stagingKey, e);
      }
    }
  }
}
