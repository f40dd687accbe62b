package archy.quic;

import archy.nostr.Hex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The node's TLS certificate for QUIC (PROTOCOLS.md §5.0): self-signed ECDSA P-256, made on first start into
 * {@code <data_dir>/quic.key} and {@code quic.crt} (PEM) and kept, because adverts signed by the node key pin
 * its fingerprint. The certificate only carries the identity; nothing checks its names or dates.
 *
 * @param fingerprint the SHA-256 of the certificate's DER, lowercase hex, as {@code quic} endpoint tags name it
 */
public record QuicIdentity(PrivateKey key, X509Certificate certificate, String fingerprint) {
  static final String KEY_FILE = "quic.key";
  static final String CERT_FILE = "quic.crt";

  public static QuicIdentity load(Path dataDir) throws IOException {
    Path keyFile = dataDir.resolve(KEY_FILE);
    Path certFile = dataDir.resolve(CERT_FILE);
    try {
      if (!Files.exists(keyFile) || !Files.exists(certFile)) generate(keyFile, certFile);
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(keyFile)));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem(certFile)));
      return new QuicIdentity(key, cert, fingerprint(cert));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("cannot read the QUIC certificate in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the certificate's DER encoding, lowercase hex. */
  public static String fingerprint(X509Certificate cert) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void generate(Path keyFile, Path certFile) throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    byte[] der = selfSigned(pair);
    Files.createDirectories(keyFile.getParent());
    writePrivately(keyFile, "PRIVATE KEY", pair.getPrivate().getEncoded());
    writePrivately(certFile, "CERTIFICATE", der);
  }

  /** bcprov has no certificate builder (that is bcpkix); the ASN.1 classes and a JCA signature make one. */
  private static byte[] selfSigned(KeyPair pair) throws IOException, GeneralSecurityException {
    X500Name name = new X500Name("CN=archy node");
    AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    Instant now = Instant.now();
    V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
    tbs.setSerialNumber(new ASN1Integer(new BigInteger(63, new SecureRandom())));
    tbs.setIssuer(name);
    tbs.setSubject(name);
    tbs.setStartDate(new Time(Date.from(now.minus(Duration.ofDays(1)))));
    tbs.setEndDate(new Time(Date.from(now.plus(Duration.ofDays(36_500)))));
    tbs.setSignature(algorithm);
    tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
    TBSCertificate unsigned = tbs.generateTBSCertificate();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(unsigned.getEncoded(ASN1Encoding.DER));
    ASN1EncodableVector cert = new ASN1EncodableVector();
    cert.add(unsigned);
    cert.add(algorithm);
    cert.add(new DERBitString(signer.sign()));
    return new DERSequence(cert).getEncoded(ASN1Encoding.DER);
  }

  private static void writePrivately(Path file, String label, byte[] der) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    Files.writeString(tmp, "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system; the data dir's own permissions protect the key
    }
    Files.move(tmp, file);
  }

  private static byte[] pem(Path file) throws IOException {
    String text = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(text);
  }
}
