package archy.blossom;

import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.Blobs;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The blob store as plugins see it: the store itself, and serving a blob through Blossom's own GET endpoint. */
record PluginBlobs(BlobStore store, BlossomHandler handler) implements Blobs {
  @Override
  public Optional<BlobInfo> bySha256(String sha256) {
    return store.bySha256(sha256);
  }

  @Override
  public Optional<BlobInfo> byBlake3(String blake3) {
    return store.byBlake3(blake3);
  }

  @Override
  public int countHeld(List<String> sha256s, List<String> blake3s) {
    return store.index().countHeld(sha256s, blake3s);
  }

  @Override
  public InputStream open(BlobInfo blob, long offset, long length) throws IOException {
    return store.open(blob, offset, length);
  }

  @Override
  public StoreResult store(BlobSource source, long maxBytes) throws IOException {
    return store.store(source, maxBytes);
  }

  @Override
  public void serve(Request request, Response response, Callback callback, String blake3) {
    handler.getByBlake3(request, response, callback, blake3);
  }
}
