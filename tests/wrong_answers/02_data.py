"""Plausible wrong answers for chapter 02: each must make its exercise's tests fail."""
WRONG = {
    # the month strings become the index, but are never converted to dates
    "ex1_passengers": (
        "passengers = data.load_airline_passengers().set_index('Month')\n"
    ),
    # a plot without axis labels
    "ex1_plot": (
        "ax = passengers.plot(title='Passengers')\n"
        "airline_fig = ax.figure\n"
    ),
    # weight on x and height on y
    "ex2_scatter": (
        "scatter_fig, ax = plt.subplots()\n"
        "colours = people['Gender'].map({'Male': 'blue', 'Female': 'red'})\n"
        "ax.scatter(people['Weight'], people['Height'], c=colours, s=4)\n"
        "ax.set_title('weight and height')\n"
        "ax.set_xlabel('weight')\n"
        "ax.set_ylabel('height')\n"
    ),
    # the median instead of the mean
    "ex3_means": "mean_heights = people.groupby('Gender')['Height'].median()\n",
    # lines at the medians instead of the means
    "ex3_hist": (
        "hist_fig, ax = plt.subplots()\n"
        "for g in ('Male', 'Female'):\n"
        "    h = people.loc[people['Gender'] == g, 'Height']\n"
        "    ax.hist(h, bins=50, range=(50, 80), alpha=0.3, label=g)\n"
        "    ax.axvline(h.median())\n"
        "ax.set_title('heights')\n"
        "ax.set_xlabel('height')\n"
        "ax.set_ylabel('count')\n"
    ),
    # pivots the heights instead of the weights
    "ex4_pivot": "weight_by_gender = people.pivot(columns='Gender', values='Height')\n",
    # one box for everybody instead of one per gender
    "ex4_box": (
        "ax = people[['Weight']].plot(kind='box')\n"
        "ax.set_title('weights')\n"
        "ax.set_ylabel('weight (lb)')\n"
        "box_fig = ax.figure\n"
    ),
    # keeps the PassengerId column
    "ex5_matrix": (
        "scatter_axes = pd.plotting.scatter_matrix(titanic.drop(columns=['IsFemale']),\n"
        "                                          figsize=(10, 10))\n"
    ),
    # sex and class swapped: one row per sex, one column per class
    "ex6_rates": (
        "survival_rate = titanic.pivot_table(index='Sex', columns='Pclass', values='Survived',\n"
        "                                    aggfunc='mean')\n"
    ),
}
