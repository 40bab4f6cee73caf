namespace Higress.Hosting;
