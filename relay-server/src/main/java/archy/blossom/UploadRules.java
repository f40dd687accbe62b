package archy.blossom;

import archy.config.Blossom;
import archy.plugin.BlobUpload;
import archy.plugin.BlobVerdict;
import archy.plugin.Hooks;

/**
 * The node's upload policy, shared by {@code PUT /upload}, its {@code HEAD} preflight and {@code PUT /mirror}:
 * the allow-list, the size limit, the allowed types and the per-key quota, then the plugins'
 * {@code rejectUpload} policies. Everything here runs before a body byte is read.
 */
final class UploadRules {
  private final Blossom config;
  private final BlobIndex index;
  private final Hooks hooks;

  UploadRules(Blossom config, BlobIndex index, Hooks hooks) {
    this.config = config;
    this.index = index;
    this.hooks = hooks;
  }

  BlobVerdict check(BlobUpload upload) {
    if (config.upload() == Blossom.UploadMode.ALLOWLIST && !config.uploadAllowlist().contains(upload.pubkey())) {
      return BlobVerdict.deny(403, "this key may not upload to this server");
    }
    if (upload.size() > config.maxUploadBytes()) {
      return BlobVerdict.deny(413, "blob is larger than this server's limit of " + config.maxUploadBytes() + " bytes");
    }
    BlobVerdict type = checkType(upload.type());
    if (type != BlobVerdict.ALLOW) return type;
    long quota = config.quotaFor(upload.pubkey());
    if (quota > 0 && upload.size() > 0 && exceedsQuota(upload, quota)) {
      return BlobVerdict.deny(429, "this key's storage quota of " + quota + " bytes would be exceeded");
    }
    return hooks.checkUpload(upload);
  }

  /** The type check alone: repeated once the bytes are in, since sniffing may change the type. */
  BlobVerdict checkType(String type) {
    return MediaTypes.allowed(type, config.allowedTypes()) ? BlobVerdict.ALLOW
        : BlobVerdict.deny(415, "this server does not accept " + type);
  }

  /** A blob the key already owns costs nothing more. */
  private boolean exceedsQuota(BlobUpload upload, long quota) {
    if (upload.sha256() != null && index.uploadedBy(upload.sha256(), upload.pubkey()).isPresent()) return false;
    return index.ownedBytes(upload.pubkey()) + upload.size() > quota;
  }
}
