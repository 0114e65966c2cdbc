package io.tarn.deploy;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The artifacts the build writes, named from the modules' poms (artifactId, the parent's version, a
 * finalName if set, the shade plugin's classifier), so a renamed or re-versioned jar breaks the
 * deployment files' tests instead of a user's `docker compose up`.
 */
final class BuildOutputs {
  private BuildOutputs() {}

  /** {@code flink-jobs/target/<finalName>-<classifier>.jar}: the shaded jar `flink run` takes. */
  static String flinkJobJar() {
    Document pom = pom("flink-jobs");
    String classifier = text(pom, "shadedClassifierName");
    if (classifier == null || !"true".equals(text(pom, "shadedArtifactAttached"))) {
      throw new IllegalStateException(
          "Cannot name the job jar: flink-jobs/pom.xml no longer attaches a shaded classifier jar");
    }
    return "flink-jobs/target/" + finalName(pom) + "-" + classifier + ".jar";
  }

  /**
   * {@code cdc-capture/target/<finalName>.jar}, run with {@link #captureLib()} on the classpath.
   */
  static String captureJar() {
    return "cdc-capture/target/" + finalName(pom("cdc-capture")) + ".jar";
  }

  /** The folder cdc-capture's dependency plugin copies the runtime classpath to. */
  static String captureLib() {
    Document pom = pom("cdc-capture");
    String out = text(pom, "outputDirectory");
    if (out == null || !out.equals("${project.build.directory}/lib")) {
      throw new IllegalStateException(
          "Cannot locate cdc-capture's runtime classpath: outputDirectory is " + out);
    }
    return "cdc-capture/target/lib";
  }

  /** The parent pom's {@code flink.version}, e.g. 2.1.1. */
  static String flinkVersion() {
    return text(parse(RepoTree.path("pom.xml")), "flink.version");
  }

  private static String finalName(Document pom) {
    String finalName = text(pom, "finalName");
    if (finalName != null) {
      return finalName;
    }
    Element project = pom.getDocumentElement();
    String artifactId = child(project, "artifactId");
    String version = child(project, "version");
    if (version == null) {
      version = child((Element) project.getElementsByTagName("parent").item(0), "version");
    }
    return artifactId + "-" + version;
  }

  private static Document pom(String module) {
    return parse(RepoTree.path(module).resolve("pom.xml"));
  }

  private static Document parse(Path file) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  private static String text(Document doc, String tag) {
    NodeList nodes = doc.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
  }

  /** A direct child's text: the project's own artifactId, not a dependency's. */
  private static String child(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }
}
