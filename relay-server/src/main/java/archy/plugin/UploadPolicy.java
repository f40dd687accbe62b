package archy.plugin;

/** Decides whether a blob may be stored ({@code rejectUpload}). Runs in-line before the body is read. */
@FunctionalInterface
public interface UploadPolicy {
  BlobVerdict check(BlobUpload upload);
}
