/** The shop's tables, and a customer with three orders. */
export const SHOP_SCHEMA = `
  CREATE TABLE orders (
    id          integer PRIMARY KEY,
    customer_id text    NOT NULL,
    placed_at   date    NOT NULL
  );
  CREATE TABLE order_lines (
    order_id    integer NOT NULL REFERENCES orders(id),
    sku         text    NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    price_cents integer NOT NULL
  );
  CREATE INDEX order_lines_by_order ON order_lines(order_id);

  INSERT INTO orders VALUES
    (1, 'c-1', '2026-03-01'), (2, 'c-1', '2026-03-08'), (3, 'c-1', '2026-03-15'),
    (4, 'c-2', '2026-03-02');
  INSERT INTO order_lines VALUES
    (1, 'tea-earl-grey', 2, 650), (1, 'mug-blue', 1, 1200),
    (2, 'tea-sencha', 1, 900),
    (3, 'tea-earl-grey', 1, 650), (3, 'tea-sencha', 3, 900), (3, 'teapot', 1, 3500),
    (4, 'mug-blue', 2, 1200);
`;
