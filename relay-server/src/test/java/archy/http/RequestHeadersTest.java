package archy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.TestNode;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jetty's request header limit comes from the config and the plugins; its refusals say why in X-Reason. */
class RequestHeadersTest {
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void headersOverTheLimitGet431WithAReason() throws Exception {
    try (TestNode node = TestNode.start(dir, "")) {
      HttpResponse<String> r = get(node, "/", "x".repeat(20_000));
      assertEquals(431, r.statusCode());
      assertEquals("request headers are larger than 16384 bytes", r.headers().firstValue("X-Reason").orElse(null));
      assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
  }

  @Test
  void theLimitIsConfigurable() throws Exception {
    try (TestNode node = TestNode.start(dir, "[server]\nmax_request_header_bytes = 32768\n")) {
      assertEquals(200, get(node, "/", "x".repeat(20_000)).statusCode());
      HttpResponse<String> r = get(node, "/", "x".repeat(40_000));
      assertEquals(431, r.statusCode());
      assertEquals("request headers are larger than 32768 bytes", r.headers().firstValue("X-Reason").orElse(null));
    }
  }

  @Test
  void aPluginThatNeedsALargeHeaderGetsTheRoom() throws Exception {
    try (TestNode node = TestNode.start(dir, "[plugins]\nenabled = [\"probe\"]\n[probe]\nheader_bytes = 40000\n")) {
      assertEquals(200, get(node, "/api/probe", "x".repeat(40_000)).statusCode());
    }
  }

  @Test
  void aMalformedRequestGets400WithAReason() throws Exception {
    try (TestNode node = TestNode.start(dir, ""); Socket socket = new Socket("127.0.0.1", node.port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String head = readHead(socket.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 400"), head);
      assertTrue(head.toLowerCase().contains("\r\nx-reason: "), head);
    }
  }

  private static HttpResponse<String> get(TestNode node, String path, String big) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).header("X-Big", big).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    int b;
    while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) head.append((char) b);
    return head.toString();
  }
}
