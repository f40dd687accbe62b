package archy.plugin;

/** Decides whether a blob's bytes may be served ({@code rejectGet}): free, refused or paid (402). */
@FunctionalInterface
public interface GetPolicy {
  BlobVerdict check(BlobGet get);
}
