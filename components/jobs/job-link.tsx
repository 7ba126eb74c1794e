import Link from 'next/link';

/** A job's name linking to its page. */
export function JobLink({ id, name }: { id: string; name: string }) {
  return (
    <Link href={`/jobs/${encodeURIComponent(id)}`} className="job-name">
      {name}
    </Link>
  );
}
