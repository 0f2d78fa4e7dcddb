package org.ketamineadvisor.advisor.sandbox;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The EHR's sign-in form; Spring Security's form login processes the POST. */
final class SignInPage extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    StringBuilder body = new StringBuilder("<h2>Sign in</h2>");
    if (request.getParameter("error") != null) {
      body.append("<p class=\"error\" role=\"alert\">Wrong user name or password. Try a demo user below.</p>");
    }
    if (request.getParameter("logout") != null) {
      body.append("<p role=\"status\">You are signed out.</p>");
    }
    body.append("<form method=\"post\" action=\"").append(SandboxPages.LOGIN_PATH).append("\">")
        .append("<label for=\"username\">User name</label>")
        .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>")
        .append("<label for=\"password\">Password</label>")
        .append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>")
        .append(SandboxPages.csrfField(request))
        .append("<p><button type=\"submit\">Sign in</button></p></form>")
        .append("<h3>Demo users</h3><table><caption>Sandbox users and passwords</caption>")
        .append("<tr><th scope=\"col\">User name</th><th scope=\"col\">Password</th><th scope=\"col\">Who</th>")
        .append("<th scope=\"col\">fhirUser</th></tr>");
    for (DemoUser user : DemoUser.ALL) {
      body.append("<tr><td><code>").append(SandboxPages.escape(user.username())).append("</code></td><td><code>")
          .append(SandboxPages.escape(user.password())).append("</code></td><td>")
          .append(SandboxPages.escape(user.displayName())).append("</td><td><code>")
          .append(SandboxPages.escape(user.fhirUser())).append("</code></td></tr>");
    }
    body.append("</table>");
    SandboxPages.write(response, HttpServletResponse.SC_OK, "Sign in", body.toString());
  }
}
