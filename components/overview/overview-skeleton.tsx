/** Shown while the overview's numbers are read (inside the page's Suspense boundary). */
export function OverviewSkeleton() {
  return (
    <div className="loading" aria-busy="true">
      <p className="visually-hidden">Loading…</p>
      <div className="overview-top">
        <div className="card">
          <div className="skeleton skeleton-bar" />
          <div className="skeleton skeleton-row" />
        </div>
        <div className="card">
          <div className="skeleton skeleton-bar" />
          <div className="skeleton skeleton-row" />
        </div>
      </div>
      <div className="card overview-skeleton-list">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    </div>
  );
}
