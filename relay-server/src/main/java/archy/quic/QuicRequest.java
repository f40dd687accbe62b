package archy.quic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;

/**
 * One request on a registered protocol: its parsed header line (the client has finished its side, so there is
 * nothing more to read), who sent it, and from where.
 *
 * @param header the request's JSON object as sent, {@code auth} included
 * @param clientCertificate SHA-256 (hex) of the certificate the connection presented
 */
public record QuicRequest(String alpn, ObjectNode header, QuicPeer peer, InetSocketAddress remote,
                          String clientCertificate) {}
