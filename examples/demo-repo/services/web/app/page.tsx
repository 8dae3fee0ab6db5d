export default function Home() {
  return (
    <main>
      <h1>Acme Payments</h1>
      <img src="/logo.png" alt="Acme Payments" width={120} height={40} />
    </main>
  );
}
