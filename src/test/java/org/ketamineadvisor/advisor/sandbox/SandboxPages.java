package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.web.csrf.CsrfToken;

/** The sandbox's paths and the frame of its server-rendered pages (no scripts from a CDN, no framework). */
final class SandboxPages {

  static final String LOGIN_PATH = "/login";
  static final String CONSENT_PATH = "/consent";
  static final String PATIENT_PICKER_PATH = "/patient-picker";
  static final String EHR_PATH = "/ehr";
  static final String EHR_LAUNCH_PATH = "/ehr/launch";
  static final String SMART_STYLE_PATH = "/smart-style.json";
  static final String FHIR_PATH = "/fhir";
  static final String SMART_CONFIGURATION_PATH = FHIR_PATH + "/.well-known/smart-configuration";

  private static final String STYLE = """
      body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
      header{background:#1d3557;color:#fff;padding:.6rem 1.2rem}header h1{font-size:1.2rem;margin:0}
      main{padding:1rem 1.2rem;max-width:72rem}
      table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
      button,.button{background:#1d3557;color:#fff;border:0;padding:.4rem .9rem;border-radius:4px;font-size:1rem;cursor:pointer;text-decoration:none}
      button.secondary{background:#6c757d}
      label{display:block;margin:.3rem 0}input[type=text],input[type=password]{font-size:1rem;padding:.3rem;width:16rem}
      .error{color:#a4161a;font-weight:bold}.banner{background:#fff3cd;padding:.5rem 1rem;margin-bottom:.5rem}
      iframe{width:100%;height:600px;border:1px solid #999;background:#fff}
      .cds-card{border:1px solid #999;border-left:6px solid #555;padding:.2rem .6rem;margin:.3rem 0;background:#fff}
      .cds-critical{border-left-color:#a0001a}.cds-warning{border-left-color:#7a4d00}.cds-info{border-left-color:#1f4e9c}
      .cds-card p{margin:.2rem 0}form.order{margin:.3rem 0}
      code{background:#eef;padding:0 .2rem}
      """;

  private SandboxPages() {}

  static void write(HttpServletResponse response, int status, String title, String body) throws IOException {
    response.setStatus(status);
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    byte[] html = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + escape(title) + " – Sandbox EHR</title><style>" + STYLE + "</style></head><body>"
        + "<header><h1>Sandbox EHR <small>(test data only)</small></h1></header><main>"
        + body + "</main></body></html>").getBytes(StandardCharsets.UTF_8);
    response.setContentLength(html.length);
    response.getOutputStream().write(html);
  }

  /** The hidden CSRF field Spring Security expects in every form POST. */
  static String csrfField(HttpServletRequest request) {
    CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    return token == null ? "" : "<input type=\"hidden\" name=\"" + escape(token.getParameterName())
        + "\" value=\"" + escape(token.getToken()) + "\">";
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
