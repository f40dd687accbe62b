package archy.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals — a request whose headers overflow the buffer (431), a malformed request line
 * (400), an unhandled path — with the {@code X-Reason} header every refusal of ours carries (BUD-01),
 * and the CORS headers, so a client (a browser one too) learns why without parsing an HTML page.
 */
public final class ReasonedErrors extends ErrorHandler {
  private final int requestHeaderBytes;

  public ReasonedErrors(int requestHeaderBytes) {
    this.requestHeaderBytes = requestHeaderBytes;
  }

  /** Bad messages: Jetty could not parse a request, so there is none to hand to a handler. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put("X-Reason", reason(status, reason));
    Cors.apply(fields);
    return super.badMessageError(status, reason, fields);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                  Callback callback) throws IOException {
    if (!response.getHeaders().contains("X-Reason")) response.getHeaders().put("X-Reason", reason(code, message));
    Cors.apply(response);
    super.generateResponse(request, response, code, message, cause, callback);
  }

  private String reason(int status, String message) {
    if (status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431) {
      return "request headers are larger than " + requestHeaderBytes + " bytes";
    }
    String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
    // A header value: printable ASCII only, and short.
    StringBuilder safe = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && safe.length() < 200; i++) {
      char c = text.charAt(i);
      safe.append(c >= 0x20 && c < 0x7f ? c : ' ');
    }
    return safe.toString().trim();
  }
}
