package archy.plugin;

/**
 * Told after a GET's body ended ({@code onBlobServed}), with the bytes that actually reached the socket:
 * less than {@code get.length()} when the client went away. Used for metering.
 */
@FunctionalInterface
public interface BlobServedSink {
  void served(BlobGet get, long bytesSent);
}
