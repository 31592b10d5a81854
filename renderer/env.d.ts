// Vite bundles the stylesheets main.tsx imports; TypeScript only needs to know the import is fine.
declare module '*.css';
