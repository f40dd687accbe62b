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
    int authClockSkewSeconds) {

  /** The quota of this key (hex): its own override, else the general one; 0 means none. */
  public long quotaFor(String pubkey) {
    return quotaBytesByKey.getOrDefault(pubkey, quotaBytes);
  }

  /** Who may upload and mirror: any key with a valid BUD-11 token, or only the keys on the allow-list. */
  public enum UploadMode { AUTHENTICATED, ALLOWLIST }

  /** BUD-12 {@code GET /list/<pubkey>}: anyone, only the key itself (with a {@code list} token), or nobody. */
  public enum ListMode { PUBLIC, OWNER, OFF }
}
