// A minimal client-side router: pushState navigation inside /app/, the way SPA frameworks do it.
// tracklet's script (injected by the middleware) sees each route change and sends one pageview.
(() => {
  const views = {
    "/app/": { title: "Overview", html: "<p>Your overview.</p>" },
    "/app/projects": {
      title: "Projects",
      html: '<p>Three projects.</p><button type="button" data-track="Create Project" data-track-source="spa">New project</button>',
    },
    "/app/settings": { title: "Settings", html: "<p>Your settings.</p>" },
  };
  const view = document.getElementById("spa-view");
  const heading = document.getElementById("spa-title");

  function render(path) {
    const page = views[path] || { title: "Not found", html: "<p>No such page.</p>" };
    heading.textContent = page.title;
    view.innerHTML = page.html;
    document.title = `${page.title} · App · tracklet example`;
  }

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href^='/app/']") : null;
    if (
      !link ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey
    )
      return;
    event.preventDefault();
    const path = link.getAttribute("href");
    if (path === location.pathname) return;
    history.pushState({}, "", path);
    render(path);
  });
  window.addEventListener("popstate", () => render(location.pathname));
  render(location.pathname);
})();
