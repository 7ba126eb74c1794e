import { redirect } from 'next/navigation';

/** The home page: the jobs list for now. */
export default function HomePage() {
  redirect('/jobs');
}
