package archy.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [blossom]} section: who may store blobs, how big, of which types, for how long, and how the
 * mirror endpoint reaches other servers. Defaults live in {@link ConfigLoader} and docs/configuration.md.
 *
 * @param blobDir where blob files live; several processes sharing one database must share this too
 * @param uploadAllowlist hex pubkeys allowed to upload when {@code upload = "allowlist"}
 * @param allowedTypes MIME patterns ({@code video/*}, {@code image/png}); empty means any type
 * @param quotaBytes total size of the blobs one key may own; 0 means no quota
 * @param quotaBytesByKey per-key overrides of {@code quotaBytes} (hex pubkey to bytes; 0 exempts the key)
 * @param retentionDays every blob is deleted this long after it was first stored; 0 keeps blobs forever
 * @param unownedRetentionDays blobs no key claims (stored by plugins) are deleted after this; 0 keeps them
 * @param s3 the bucket blob bytes live in when {@code store = "s3"}; null when they are files in {@code blobDir}
 */
public record Blossom(
    boolean enabled,
    Path blobDir,
    long maxUploadBytes,
    UploadMode upload,
    Set<String> uploadAllowlist,
    List<String> allowedTypes,
    long quotaBytes,
    Map<String, Long> quotaBytesByKey,
    int retentionDays,
    int unownedRetentionDays,
    ListMode list,
    boolean mirrorAllowPrivate,
    int mirrorTimeoutSeconds,
    int authClockSkewSeconds,
    S3 s3) {

  /** The quota of this key (hex): its own override, else the general one; 0 means none. */
  public long quotaFor(String pubkey) {
    return quotaBytesByKey.getOrDefault(pubkey, quotaBytes);
  }

  /**
   * An S3-compatible bucket for the blob bytes ({@code [blossom] store = "s3"}).
   *
   * @param endpoint the service URL; null for AWS itself (the region's endpoint)
   * @param prefix put before every object key (e.g. {@code "archy/"}); may be empty
   * @param pathStyle {@code https://host/bucket/key} instead of {@code https://bucket.host/key} (most non-AWS servers)
   * @param accessKey with {@code secretKey}: the credentials; both null means the AWS environment variables
   */
  public record S3(String endpoint, String bucket, String region, String prefix, boolean pathStyle,
                   String accessKey, String secretKey) {
    @Override
    public String toString() { // never the secret
      return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
    }
  }

  /** Who may upload and mirror: any key with a valid BUD-11 token, or only the keys on the allow-list. */
  public enum UploadMode { AUTHENTICATED, ALLOWLIST }

  /** BUD-12 {@code GET /list/<pubkey>}: anyone, only the key itself (with a {@code list} token), or nobody. */
  public enum ListMode { PUBLIC, OWNER, OFF }
}
