import { hrefOf, PAGES, type PageId } from './routes.js';

/** The pages as links (so the back button, a new tab and keyboard all work); Prompts shows how many wait. */
export function Navigation({ current, waiting }: { current: PageId; waiting: number }) {
  return (
    <nav className="app-nav" aria-label="Pages">
      <ul>
        {PAGES.map((page) => (
          <li key={page.id}>
            <a href={hrefOf(page.id)} aria-current={page.id === current ? 'page' : undefined} data-testid={`nav-${page.id}`}>
              {page.label}
              {page.id === 'prompts' && waiting > 0 ? (
                <span className="nav-badge" aria-label={`, ${waiting} waiting`}>
                  {waiting}
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
