package archy.plugin;

/**
 * A blob the node holds, by both of its addresses (Blossom's sha256 and the film network's BLAKE3).
 *
 * @param created unix seconds when the node first stored the bytes
 */
public record BlobInfo(String sha256, String blake3, long size, String type, long created) {}
