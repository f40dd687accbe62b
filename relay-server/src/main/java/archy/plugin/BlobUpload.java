package archy.plugin;

import archy.nostr.Event;
import org.eclipse.jetty.http.HttpFields;

/**
 * A blob about to be stored through {@code PUT /upload}, {@code HEAD /upload} (a preflight: nothing is
 * stored, and BUD-07 says a HEAD is never retried with a payment) or {@code PUT /mirror}. Policies see it
 * before the body is read.
 *
 * @param auth the verified BUD-11 token (kind 24242) of {@code pubkey}
 * @param sha256 the announced hash ({@code X-SHA-256}, or the token's {@code x} tag on a mirror); null when unknown
 * @param size the announced size in bytes, or -1 when unknown
 * @param type the announced MIME type, {@code application/octet-stream} when none was given
 * @param headers the request headers (payment proofs such as {@code X-Cashu} arrive here)
 */
public record BlobUpload(String pubkey, Event auth, String sha256, long size, String type, HttpFields headers,
                         String remoteAddress, boolean preflight) {}
