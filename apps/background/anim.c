/*
 * apps/background/anim.c — ribbons and bubbles over the backdrop (see
 * anim.h).
 *
 * Sizes and paths are given relative to the screen (per mille of w or h),
 * so any screen size works; every write is clipped to fb. Angles are in
 * BG_SIN_STEPS units per turn and wrap by masking; positions are Q14 sine
 * values scaled by an amplitude and shifted back.
 */
#include "apps/background/anim.h"

#include "apps/background/pixel.h"

/* A sine ribbon: two waves summed, drawn as a soft 9-pixel line. */
struct bg_ribbon {
	uint8_t r, g, b;
	int32_t centre;	   /* per mille of h */
	int32_t amp[2];	   /* per mille of h */
	int32_t length[2]; /* wavelength, per mille of w */
	int32_t period[2]; /* ms per turn; the sign is the direction */
};

static const struct bg_ribbon bg_ribbons[] = {
    {90, 190, 255, 865, {40, 16}, {900, 370}, {7000, -4300}},
    {210, 120, 255, 910, {34, 14}, {1300, 450}, {-9000, 5100}},
};

/* The ribbon's cross-section: light per row, centre row in the middle. */
static const uint8_t bg_ribbon_profile[] = {12, 30, 70, 140, 220, 140, 70, 30, 12};

/* A bubble: a soft disc on a Lissajous path over the whole screen. */
struct bg_bubble {
	uint8_t r, g, b;
	int32_t radius;	   /* per mille of h */
	int32_t period[2]; /* ms per turn of x and of y */
	int32_t phase[2];  /* angle units */
};

static const struct bg_bubble bg_bubbles[] = {
    {120, 200, 255, 34, {23000, 31000}, {0, 256}},
    {255, 160, 220, 26, {29000, 19000}, {300, 700}},
    {140, 255, 200, 20, {37000, 27000}, {600, 100}},
    {255, 220, 140, 30, {41000, 35000}, {900, 500}},
    {170, 150, 255, 16, {19000, 43000}, {150, 850}},
};

#define BG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

void bg_anim_init(struct bg_anim *a)
{
	/* Bhaskara I: sin(x) ~ 16x(pi - x) / (5 pi^2 - 4x(pi - x)) on a half
	 * turn, here with x scaled so a half turn is 1024. */
	for (int32_t i = 0; i < BG_SIN_STEPS / 2; i++) {
		int64_t t = (int64_t)i * 1024 / (BG_SIN_STEPS / 2);
		int64_t p = t * (1024 - t);
		int64_t s = (16 * p * BG_SIN_ONE) / (5 * 1024 * 1024 - 4 * p);

		a->sin[i] = (int16_t)s;
		a->sin[i + BG_SIN_STEPS / 2] = (int16_t)-s;
	}
}

static int32_t bg_sin(const struct bg_anim *a, int64_t angle)
{
	return a->sin[(uint64_t)angle & (BG_SIN_STEPS - 1)];
}

/* The angle reached at t_ms by something turning once per period ms
 * (period != 0; negative turns the other way). Exact for 2^53 ms. */
static int64_t bg_angle(uint64_t t_ms, int32_t period)
{
	int64_t turns = (int64_t)(t_ms * BG_SIN_STEPS);

	return period < 0 ? -(turns / -period) : turns / period;
}

#define BG_RIBBON_ROWS ((int64_t)BG_COUNT(bg_ribbon_profile))

/* The profile with zeros around it, so a shifted copy can read one past. */
static uint32_t bg_profile_at(int64_t i)
{
	return i >= 0 && i < BG_RIBBON_ROWS ? bg_ribbon_profile[i] : 0;
}

/*
 * Lights column x with the profile centred on y_q8 (rows, Q8 fixed point).
 * Anti-aliased: the profile is shifted by the fraction of a row, spreading
 * it over one more row, so a slowly sloping ribbon shows no steps.
 */
static void bg_ribbon_column(const struct fomos_framebuffer *fb, size_t h, size_t x, int64_t y_q8,
			     const struct bg_ribbon *rb)
{
	int64_t top = (y_q8 >> 8) - BG_RIBBON_ROWS / 2;
	uint32_t frac = (uint32_t)(y_q8 & 255);
	bg_px32 *px = (bg_px32 *)fb->pixels;

	for (int64_t i = 0; i <= BG_RIBBON_ROWS; i++) {
		int64_t row = top + i;

		if (row < 0 || row >= (int64_t)h) {
			continue;
		}
		uint32_t alpha =
		    (bg_profile_at(i) * (256 - frac) + bg_profile_at(i - 1) * frac) >> 8;
		bg_add_light(&px[(size_t)row * fb->w + x], bg_light(rb->r, rb->g, rb->b, alpha));
	}
}

/* Grows box to hold rows [top, top + BG_RIBBON_ROWS] of every column, clipped to h. */
static void bg_box_rows(struct bg_box *box, int64_t top, size_t h)
{
	int64_t lo = top < 0 ? 0 : top, hi = top + BG_RIBBON_ROWS + 1;
	hi = hi > (int64_t)h ? (int64_t)h : hi;
	if (lo >= hi) {
		return;
	}
	if (box->x0 == box->x1 || (size_t)lo < box->y0) {
		box->y0 = (size_t)lo;
	}
	if (box->x0 == box->x1 || (size_t)hi > box->y1) {
		box->y1 = (size_t)hi;
	}
}

static void bg_draw_ribbon(const struct bg_anim *a, const struct fomos_framebuffer *fb, size_t h,
			   const struct bg_ribbon *rb, uint64_t t_ms, struct bg_box *box)
{
	int64_t centre_q8 = (int64_t)h * rb->centre * 256 / 1000;
	int64_t amp[2], step[2], phase[2];

	for (int i = 0; i < 2; i++) {
		int64_t length = (int64_t)fb->w * rb->length[i] / 1000;

		amp[i] = (int64_t)h * rb->amp[i] / 1000;
		/* angle units per pixel, Q8 */
		step[i] = (int64_t)BG_SIN_STEPS * 256 / (length > 0 ? length : 1);
		phase[i] = bg_angle(t_ms, rb->period[i]);
	}
	for (size_t x = 0; x < fb->w; x++) {
		int64_t wave = amp[0] * bg_sin(a, ((int64_t)x * step[0] >> 8) + phase[0]) +
			       amp[1] * bg_sin(a, ((int64_t)x * step[1] >> 8) + phase[1]);

		/* wave is in pixels times BG_SIN_ONE (Q14); Q8 is 64 times less */
		int64_t y_q8 = centre_q8 + wave / (BG_SIN_ONE / 256);
		bg_ribbon_column(fb, h, x, y_q8, rb);
		bg_box_rows(box, (y_q8 >> 8) - BG_RIBBON_ROWS / 2, h);
		box->x1 = box->y0 < box->y1 ? fb->w : 0;
	}
}

/* A bubble placed on the screen for one frame. */
struct bg_disc {
	int64_t cx, cy, r;
	int64_t r2, rim2;    /* radius squared; where the rim starts */
	int64_t hx, hy, hr2; /* the highlight's centre and radius squared */
	int64_t shade;	     /* interior light grows by d^2 * shade >> 16 */
};

/* Light of the disc at offset (dx, dy) from its centre, 0 outside. */
static uint32_t bg_disc_light(const struct bg_disc *d, int64_t x, int64_t y)
{
	int64_t dx = x - d->cx, dy = y - d->cy;
	int64_t d2 = dx * dx + dy * dy;

	if (d2 > d->r2) {
		return 0;
	}
	uint32_t light = d2 >= d->rim2 ? 120 : 18 + (uint32_t)((d2 * d->shade) >> 16);
	int64_t hx = x - d->hx, hy = y - d->hy;
	if (hx * hx + hy * hy < d->hr2) {
		light += 90;
	}
	return light;
}

static void bg_fill_disc(const struct fomos_framebuffer *fb, size_t h, const struct bg_disc *d,
			 const struct bg_bubble *b, struct bg_box *box)
{
	int64_t x_lo = d->cx - d->r < 0 ? 0 : d->cx - d->r;
	int64_t y_lo = d->cy - d->r < 0 ? 0 : d->cy - d->r;
	int64_t x_hi = d->cx + d->r >= (int64_t)fb->w ? (int64_t)fb->w - 1 : d->cx + d->r;
	int64_t y_hi = d->cy + d->r >= (int64_t)h ? (int64_t)h - 1 : d->cy + d->r;

	*box = (struct bg_box){0, 0, 0, 0};
	if (x_lo <= x_hi && y_lo <= y_hi) {
		*box =
		    (struct bg_box){(size_t)x_lo, (size_t)y_lo, (size_t)x_hi + 1, (size_t)y_hi + 1};
	}
	for (int64_t y = y_lo; y <= y_hi; y++) {
		bg_px32 *row = (bg_px32 *)fb->pixels + (size_t)y * fb->w;

		for (int64_t x = x_lo; x <= x_hi; x++) {
			uint32_t light = bg_disc_light(d, x, y);

			if (light != 0) {
				bg_add_light(&row[x], bg_light(b->r, b->g, b->b, light));
			}
		}
	}
}

static void bg_draw_bubble(const struct bg_anim *a, const struct fomos_framebuffer *fb, size_t h,
			   const struct bg_bubble *b, uint64_t t_ms, struct bg_box *box)
{
	struct bg_disc d;
	int64_t r = (int64_t)h * b->radius / 1000;
	int64_t reach_x = (int64_t)fb->w / 2 - r - 4, reach_y = (int64_t)h / 2 - r - 4;

	d.r = r < 3 ? 3 : r;
	reach_x = reach_x < 0 ? 0 : reach_x;
	reach_y = reach_y < 0 ? 0 : reach_y;
	d.cx = (int64_t)fb->w / 2 +
	       reach_x * bg_sin(a, bg_angle(t_ms, b->period[0]) + b->phase[0]) / BG_SIN_ONE;
	d.cy = (int64_t)h / 2 +
	       reach_y * bg_sin(a, bg_angle(t_ms, b->period[1]) + b->phase[1]) / BG_SIN_ONE;
	d.r2 = d.r * d.r;
	d.rim2 = (d.r - 2) * (d.r - 2);
	d.hx = d.cx - d.r / 3;
	d.hy = d.cy - d.r / 3;
	d.hr2 = (d.r / 4) * (d.r / 4);
	d.shade = ((int64_t)50 << 16) / d.r2;
	bg_fill_disc(fb, h, &d, b, box);
}

_Static_assert(BG_COUNT(bg_ribbons) + BG_COUNT(bg_bubbles) == BG_ANIM_BOXES, "a box for each");

void bg_anim_draw(const struct bg_anim *a, const struct fomos_framebuffer *fb, uint64_t t_ms,
		  struct bg_boxes *drawn)
{
	size_t h = fb->w > 0 ? fb->len / fb->w : 0;
	struct bg_box *box = drawn->box;

	if (h > fb->h) {
		h = fb->h;
	}
	for (size_t i = 0; i < BG_COUNT(bg_ribbons); i++) {
		*box = (struct bg_box){0, 0, 0, 0};
		bg_draw_ribbon(a, fb, h, &bg_ribbons[i], t_ms, box++);
	}
	for (size_t i = 0; i < BG_COUNT(bg_bubbles); i++) {
		bg_draw_bubble(a, fb, h, &bg_bubbles[i], t_ms, box++);
	}
}
