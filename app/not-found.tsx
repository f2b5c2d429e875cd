import Link from "next/link";

export default function NotFound() {
  return (
    <main className="grid min-h-[60vh] place-items-center px-4 text-center">
      <div>
        <p className="text-sm font-semibold text-brand-700">404</p>
        <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600">There is nothing at this address, or it is not yours to see.</p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-800 underline">
          Back to the portal
        </Link>
      </div>
    </main>
  );
}
