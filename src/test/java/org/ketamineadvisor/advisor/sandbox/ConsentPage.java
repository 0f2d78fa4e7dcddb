package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Where the signed-in user reviews the scopes an app asks for and may untick some (a narrowed grant). Spring
 * Authorization Server redirects here with {@code client_id}, {@code scope} and its own {@code state}; the form
 * posts the ticked scopes back to the authorization endpoint.
 */
final class ConsentPage extends HttpServlet {

  private static final String OPENID = "openid";

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String clientId = request.getParameter("client_id");
    String state = request.getParameter("state");
    String scope = request.getParameter("scope");
    if (clientId == null || state == null || scope == null) {
      SandboxPages.write(response, HttpServletResponse.SC_BAD_REQUEST, "Consent",
          "<p class=\"error\" role=\"alert\">This page is only reached from an app's authorization request "
              + "(client_id, scope and state are missing). Launch the app again from the EHR.</p>");
      return;
    }
    List<String> scopes = Arrays.stream(scope.split(" ")).filter(s -> !s.isBlank()).toList();
    StringBuilder body = new StringBuilder()
        .append("<h2>Allow <code>").append(SandboxPages.escape(clientId)).append("</code> access?</h2>")
        .append("<p>Signed in as <strong>").append(SandboxPages.escape(request.getRemoteUser()))
        .append("</strong>. Untick what the app should not get.</p>")
        .append("<form method=\"post\" action=\"/oauth2/authorize\">")
        .append("<input type=\"hidden\" name=\"client_id\" value=\"").append(SandboxPages.escape(clientId)).append("\">")
        .append("<input type=\"hidden\" name=\"state\" value=\"").append(SandboxPages.escape(state)).append("\">")
        .append(SandboxPages.csrfField(request))
        .append("<fieldset><legend>Requested permissions</legend>");
    int index = 0;
    for (String requested : scopes) {
      if (requested.equals(OPENID)) {
        // Spring Authorization Server grants openid with any consent; a checkbox would suggest otherwise
        body.append("<p>Sign-in with your identity (<code>openid</code>) is always included.</p>");
        continue;
      }
      String id = "scope-" + index++;
      body.append("<label for=\"").append(id).append("\"><input type=\"checkbox\" name=\"scope\" id=\"").append(id)
          .append("\" value=\"").append(SandboxPages.escape(requested)).append("\" checked> <code>")
          .append(SandboxPages.escape(requested)).append("</code></label>");
    }
    body.append("</fieldset><p><button type=\"submit\">Allow</button></p></form>")
        // no scope at all is a refusal: the app gets access_denied
        .append("<form method=\"post\" action=\"/oauth2/authorize\">")
        .append("<input type=\"hidden\" name=\"client_id\" value=\"").append(SandboxPages.escape(clientId)).append("\">")
        .append("<input type=\"hidden\" name=\"state\" value=\"").append(SandboxPages.escape(state)).append("\">")
        .append(SandboxPages.csrfField(request))
        .append("<button type=\"submit\" class=\"secondary\">Deny</button></form>");
    SandboxPages.write(response, HttpServletResponse.SC_OK, "Consent", body.toString());
  }
}
