package archy.blossom;

import archy.plugin.BlobInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The BUD-02 blob descriptor: {@code url} (with an extension, as BUD-02 requires), {@code sha256},
 * {@code size}, {@code type}, {@code uploaded}; plus {@code blake3} (our second address, with its
 * {@code /b3/} URL) and BUD-08's {@code nip94} tags, so a client can publish a NIP-94 event as is.
 */
final class Descriptor {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Descriptor() {}

  static String url(String publicUrl, BlobInfo blob) {
    return publicUrl + "/" + blob.sha256() + "." + MediaTypes.extension(blob.type());
  }

  static String json(String publicUrl, BlobInfo blob, long uploaded) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, publicUrl, blob, uploaded, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A JSON array of descriptors (BUD-12 list), without the nip94 tags. */
  static String list(String publicUrl, List<BlobIndex.Owned> blobs) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (BlobIndex.Owned o : blobs) write(g, publicUrl, o.blob(), o.uploaded(), false);
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, String publicUrl, BlobInfo blob, long uploaded, boolean nip94)
      throws IOException {
    String url = url(publicUrl, blob);
    g.writeStartObject();
    g.writeStringField("url", url);
    g.writeStringField("sha256", blob.sha256());
    g.writeNumberField("size", blob.size());
    g.writeStringField("type", blob.type());
    g.writeNumberField("uploaded", uploaded);
    g.writeStringField("blake3", blob.blake3());
    g.writeStringField("blake3_url", publicUrl + "/b3/" + blob.blake3());
    if (nip94) {
      g.writeArrayFieldStart("nip94");
      tag(g, "url", url);
      tag(g, "m", blob.type());
      tag(g, "x", blob.sha256());
      tag(g, "size", Long.toString(blob.size()));
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void tag(JsonGenerator g, String name, String value) throws IOException {
    g.writeStartArray();
    g.writeString(name);
    g.writeString(value);
    g.writeEndArray();
  }
}
