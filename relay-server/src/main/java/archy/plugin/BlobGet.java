package archy.plugin;

import org.eclipse.jetty.http.HttpFields;

/**
 * A {@code GET} or {@code HEAD} of a held blob, after the range was resolved: {@code offset} and
 * {@code length} are the bytes the response would carry (the whole blob when no single range applies).
 *
 * @param partial true for a 206 answer to a {@code Range} request
 * @param origin the client's address, and the pubkey of a valid BUD-11 {@code get} token if one was sent
 */
public record BlobGet(BlobInfo blob, long offset, long length, boolean partial, boolean head, HttpFields headers,
                      Origin origin) {}
