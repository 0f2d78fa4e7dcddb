package org.ketamineadvisor.advisor.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The landing page for someone who opens the app directly instead of from an EHR. */
@Controller
class HomeController {

  @GetMapping("/")
  String home() {
    return "index";
  }
}
